package web

import (
	"fmt"
	"strings"

	"vivier/internal/fr"
	"vivier/internal/match"
	"vivier/internal/skill"
)

// Pages name things, never codes: skills by their label, languages by
// their French name, zones by their place.

// languageNames are the French names of the languages experts declare, by
// ISO 639-1 code.
var languageNames = map[string]string{
	"fr": "français", "en": "anglais", "de": "allemand", "es": "espagnol", "it": "italien", "pt": "portugais",
	"nl": "néerlandais", "ar": "arabe", "zh": "chinois", "ru": "russe", "pl": "polonais", "ro": "roumain",
	"tr": "turc", "ja": "japonais", "br": "breton", "eu": "basque", "ca": "catalan", "co": "corse", "oc": "occitan",
	"lb": "luxembourgeois", "el": "grec", "sv": "suédois", "da": "danois", "fi": "finnois", "cs": "tchèque", "hu": "hongrois",
	"uk": "ukrainien", "he": "hébreu", "vi": "vietnamien", "ko": "coréen", "hi": "hindi", "sw": "swahili", "wo": "wolof",
}

// languageName names the language of an ISO 639-1 code; an unknown code
// stays as it is, rather than vanish.
func languageName(code string) string {
	if n, ok := languageNames[strings.ToLower(code)]; ok {
		return n
	}
	return code
}

// languageList names languages for a sentence: « français, anglais ».
func languageList(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = languageName(c)
	}
	return strings.Join(names, ", ")
}

// failureText says why an expert is excluded from a need, as the engine's
// message does, but naming the skill, the languages and the zones rather
// than giving their codes.
func (s *Server) failureText(f *match.Failure, cat *skill.Catalog) string {
	switch f.Reason {
	case match.MissingSkill:
		name := fr.Quote(skillLabel(cat, f.Skill))
		if f.Level == 0 {
			return fmt.Sprintf("n’a pas la compétence requise %s (niveau %d minimum demandé)", name, f.MinLevel)
		}
		return fmt.Sprintf("a la compétence requise %s au niveau %d, en dessous du niveau %d demandé", name, f.Level, f.MinLevel)
	case match.Language:
		held := languageList(f.Languages)
		if held == "" {
			held = "aucune"
		}
		return fmt.Sprintf("ne parle pas la langue demandée, %s (langues déclarées : %s)", languageName(f.Language), held)
	case match.OutOfZone:
		if len(f.Zones) == 0 {
			return "n’a déclaré aucune zone d’intervention"
		}
		zones := make([]string, len(f.Zones))
		for i, z := range f.Zones {
			zones[i] = s.places.zoneLabel(z)
		}
		where := "ni le département " + f.Departement
		if d, ok := s.places.ref.Departement(f.Departement); ok {
			where += " (" + d.Name + ")"
		}
		if r, ok := s.places.ref.Region(f.Region); ok {
			where += ", ni la région " + r.Name
		}
		return "ses zones (" + strings.Join(zones, ", ") + ") ne couvrent " + where + ", ni la France entière"
	}
	return f.Message
}
