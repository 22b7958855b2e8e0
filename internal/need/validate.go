package need

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// Limits of a need's fields.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 5000
	MaxDailyRate         = 5000
)

type checker struct {
	geo    *geo.Reference
	skills *skill.Catalog
}

// normalise cleans in and returns every invalid value, named as in the
// need JSON. contact says whether the contact is required (public form).
func (c checker) normalise(in Input, contact bool) (Input, valid.Errors) {
	var errs valid.Errors
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	in.Commune = strings.ToUpper(strings.TrimSpace(in.Commune))
	in.RequesterSIREN = strings.TrimSpace(in.RequesterSIREN)
	switch n := utf8.RuneCountInString(in.Title); {
	case in.Title == "":
		errs.Add("title", "donnez un titre court au besoin, par exemple « Relancer la zone d’activités »")
	case n > MaxTitleLength:
		errs.Add("title", "%s caractères au plus (ici %s)", fr.Int(MaxTitleLength), fr.Int(int64(n)))
	}
	if n := utf8.RuneCountInString(in.Description); n > MaxDescriptionLength {
		errs.Add("description", "%s caractères au plus (ici %s)", fr.Int(MaxDescriptionLength), fr.Int(int64(n)))
	}
	if in.Commune == "" {
		errs.Add("commune", "indiquez la commune où se déroule la mission")
	} else if _, ok := c.geo.Commune(in.Commune); !ok {
		errs.Add("commune", "aucune commune n’a le code INSEE %s", fr.Quote(in.Commune))
	}
	switch in.Kind {
	case Mission, Interim:
	case "":
		errs.Add("kind", "choisissez mission ou intérim")
	default:
		errs.Add("kind", "type %s inconnu : mission ou interim", fr.Quote(string(in.Kind)))
	}
	in.Skills = c.checkSkills(&errs, in.Skills)
	if in.Start.IsZero() {
		errs.Add("start", "indiquez la date de début")
	}
	switch {
	case in.End.IsZero():
		errs.Add("end", "indiquez la date de fin")
	case !in.Start.IsZero() && in.End.Before(in.Start):
		errs.Add("end", "la fin (%s) précède le début (%s)", fr.Date(in.End), fr.Date(in.Start))
	}
	if in.DaysPerWeek < 1 || in.DaysPerWeek > 5 {
		errs.Add("days_per_week", "de 1 à 5 jours par semaine (ici %d)", in.DaysPerWeek)
	}
	if in.MaxDailyRate != nil && (*in.MaxDailyRate < 1 || *in.MaxDailyRate > MaxDailyRate) {
		errs.Add("max_daily_rate", "le TJM maximum doit être compris entre 1 et %s", fr.Euros(MaxDailyRate))
	}
	switch in.Format {
	case Onsite, Remote, Hybrid:
	case "":
		errs.Add("format", "choisissez sur place, à distance ou mixte")
	default:
		errs.Add("format", "format %s inconnu : onsite, remote ou hybrid", fr.Quote(string(in.Format)))
	}
	in.Languages = checkLanguages(&errs, in.Languages)
	switch in.Requester {
	case "", "commune", "epci":
	default:
		errs.Add("requester", "demandeur %s inconnu : commune ou epci", fr.Quote(in.Requester))
	}
	in.Contact = checkContact(&errs, in.Contact, contact)
	return in, errs
}

func (c checker) checkSkills(errs *valid.Errors, in []WantedSkill) []WantedSkill {
	if len(in) == 0 {
		errs.Add("skills", "choisissez au moins une compétence")
	}
	out := make([]WantedSkill, 0, len(in))
	seen := map[string]bool{}
	for i, s := range in {
		s.Code = strings.ToLower(strings.TrimSpace(s.Code))
		field := fmt.Sprintf("skills[%d]", i)
		switch {
		case func() bool { _, ok := c.skills.Lookup(s.Code); return !ok }():
			errs.Add(field+".code", "compétence %s inconnue", fr.Quote(s.Code))
		case !s.MinLevel.Valid():
			errs.Add(field+".min_level", "niveau minimum %d impossible : de 1 (notions) à 4 (expert)", int(s.MinLevel))
		case seen[s.Code]:
			errs.Add(field+".code", "la compétence %s est déjà demandée", s.Code)
		default:
			seen[s.Code] = true
			out = append(out, s)
		}
	}
	return out
}

func checkLanguages(errs *valid.Errors, in []string) []string {
	out := []string{}
	for i, l := range in {
		l = strings.ToLower(strings.TrimSpace(l))
		if len(l) != 2 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "" {
			errs.Add(fmt.Sprintf("languages[%d]", i), "langue %s : écrivez son code à deux lettres (fr, en…)", fr.Quote(l))
			continue
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		out = []string{"fr"}
	}
	return out
}

func checkContact(errs *valid.Errors, c *Contact, required bool) *Contact {
	if c == nil {
		if required {
			errs.Add("contact.email", "indiquez votre adresse électronique : la confirmation y sera envoyée")
			errs.Add("contact.name", "indiquez votre nom")
		}
		return nil
	}
	c.Name, c.Role = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role)
	c.Email, c.Phone = strings.ToLower(strings.TrimSpace(c.Email)), strings.TrimSpace(c.Phone)
	if c.Name == "" && required {
		errs.Add("contact.name", "indiquez votre nom")
	}
	if utf8.RuneCountInString(c.Name) > 100 || utf8.RuneCountInString(c.Role) > 100 {
		errs.Add("contact.name", "100 caractères au plus")
	}
	switch a, err := mail.ParseAddress(c.Email); {
	case c.Email == "" && required:
		errs.Add("contact.email", "indiquez votre adresse électronique : la confirmation y sera envoyée")
	case c.Email != "" && (err != nil || a.Address != c.Email || !strings.Contains(c.Email[strings.LastIndexByte(c.Email, '@')+1:], ".")):
		errs.Add("contact.email", "%s n’est pas une adresse électronique valide", fr.Quote(c.Email))
	}
	if len(c.Phone) > 30 {
		errs.Add("contact.phone", "30 caractères au plus")
	}
	return c
}
