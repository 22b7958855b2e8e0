package expert

import (
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"vivier/internal/fr"
	"vivier/internal/geo"
	"vivier/internal/organisation"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// Limits of a profile's fields.
const (
	MaxNameLength = 100
	MaxBioLength  = 5000
	MinDailyRate  = 1
	MaxDailyRate  = 5000
	MaxExperience = 60
)

// checker validates profiles against the geography and the skill taxonomy.
type checker struct {
	geo    *geo.Reference
	skills *skill.Catalog
}

// normalise returns p cleaned (spaces trimmed, email in lower case, zones
// canonical, languages defaulted, skills and periods sorted) and every
// invalid value, named as in the API.
func (c checker) normalise(p Profile) (Profile, valid.Errors) {
	var errs valid.Errors
	p.Reference = strings.TrimSpace(p.Reference)
	p.FirstName = strings.TrimSpace(p.FirstName)
	p.LastName = strings.TrimSpace(p.LastName)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Phone = strings.TrimSpace(p.Phone)
	p.EmployerSIREN = organisation.NormalizeSIREN(p.EmployerSIREN)
	p.Commune = strings.ToUpper(strings.TrimSpace(p.Commune))
	p.Bio = strings.TrimSpace(strings.ReplaceAll(p.Bio, "\r\n", "\n"))

	checkText(&errs, "reference", p.Reference, 64, false)
	if strings.ContainsAny(p.Reference, " \t") {
		errs.Add("reference", "la référence ne doit pas contenir d’espace")
	}
	checkText(&errs, "first_name", p.FirstName, MaxNameLength, false)
	checkText(&errs, "last_name", p.LastName, MaxNameLength, false)
	if p.LastName == "" {
		errs.Add("last_name", "indiquez le nom de famille de l’expert")
	}
	c.checkEmail(&errs, p.Email)
	if len(p.Phone) > 30 || strings.TrimFunc(p.Phone, func(r rune) bool { return unicode.IsDigit(r) || strings.ContainsRune(" +.-()", r) }) != "" {
		errs.Add("phone", "le numéro de téléphone %s ne contient que des chiffres, espaces, points et le signe +", fr.Quote(p.Phone))
	}
	if !p.Employment.valid() {
		errs.Add("employment", "statut %s inconnu : en_poste, mobilite, independant ou retraite", fr.Quote(string(p.Employment)))
	}
	if p.EmployerSIREN != "" {
		if msg := organisation.CheckSIREN(p.EmployerSIREN); msg != "" {
			errs.Add("employer_siren", "%s", msg)
		}
	}
	if p.Commune != "" {
		if _, ok := c.geo.Commune(p.Commune); !ok {
			errs.Add("commune", "aucune commune n’a le code INSEE %s", fr.Quote(p.Commune))
		}
	}
	p.Zones = c.zones(&errs, p.Zones)
	p.Skills = c.checkSkills(&errs, p.Skills)
	p.Availability = checkPeriods(&errs, p.Availability)
	if p.DailyRate != nil && (*p.DailyRate < MinDailyRate || *p.DailyRate > MaxDailyRate) {
		errs.Add("daily_rate", "le TJM doit être compris entre %d et %s", MinDailyRate, fr.Euros(MaxDailyRate))
	}
	if p.ExperienceYears != nil && (*p.ExperienceYears < 0 || *p.ExperienceYears > MaxExperience) {
		errs.Add("experience_years", "l’expérience se compte entre 0 et %d ans", MaxExperience)
	}
	p.Languages = checkLanguages(&errs, p.Languages)
	checkText(&errs, "bio", p.Bio, MaxBioLength, true)
	return p, errs
}

// checkText refuses invalid UTF-8, control characters (but line breaks and
// tabs in multi-line text) and text longer than max characters.
func checkText(errs *valid.Errors, field, s string, max int, multiline bool) {
	if !utf8.ValidString(s) {
		errs.Add(field, "le texte contient des caractères illisibles (encodage ?)")
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		errs.Add(field, "%s caractères au plus (ici %s)", fr.Int(int64(max)), fr.Int(int64(n)))
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\t')) {
			errs.Add(field, "le texte contient un caractère de contrôle invisible")
			return
		}
	}
}

func (c checker) checkEmail(errs *valid.Errors, email string) {
	if email == "" {
		errs.Add("email", "indiquez l’adresse électronique")
		return
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || len(email) > 254 || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		errs.Add("email", "%s n’est pas une adresse électronique valide", fr.Quote(email))
	}
}

// zones parses the zones into their canonical form, keeping each once.
func (c checker) zones(errs *valid.Errors, in []string) []string {
	out := []string{}
	for i, s := range in {
		z, err := c.geo.ParseZone(s)
		if err != nil {
			errs.Add(fmt.Sprintf("zones[%d]", i), "%s", zoneMessage(s))
			continue
		}
		if !slices.Contains(out, z.String()) {
			out = append(out, z.String())
		}
	}
	slices.Sort(out)
	return out
}

// zoneMessage explains a wrong zone in French (geo's errors are English).
func zoneMessage(s string) string {
	s = strings.TrimSpace(s)
	prefix, code, ok := strings.Cut(s, ":")
	switch {
	case s == "":
		return "zone vide : écrivez dep:69, reg:84 ou national"
	case ok && strings.EqualFold(prefix, "dep"):
		return fmt.Sprintf("la zone %s désigne un département qui n’existe pas (%s)", fr.Quote(s), fr.Quote(code))
	case ok && strings.EqualFold(prefix, "reg"):
		return fmt.Sprintf("la zone %s désigne une région qui n’existe pas (%s)", fr.Quote(s), fr.Quote(code))
	}
	return fmt.Sprintf("zone %s incomprise : écrivez dep:69 (département), reg:84 (région) ou national", fr.Quote(s))
}

func (c checker) checkSkills(errs *valid.Errors, in []SkillLevel) []SkillLevel {
	out := make([]SkillLevel, 0, len(in))
	seen := map[string]int{}
	for i, s := range in {
		s.Code = strings.ToLower(strings.TrimSpace(s.Code))
		field := fmt.Sprintf("skills[%d]", i)
		if _, ok := c.skills.Lookup(s.Code); !ok {
			errs.Add(field+".code", "compétence %s inconnue (voir la liste des codes, par exemple filieres.industrie)", fr.Quote(s.Code))
			continue
		}
		if !s.Level.Valid() {
			errs.Add(field+".level", "niveau %d impossible pour %s : de 1 (notions) à 4 (expert)", int(s.Level), s.Code)
			continue
		}
		if j, dup := seen[s.Code]; dup {
			errs.Add(field+".code", "la compétence %s est déjà donnée (n°%d)", s.Code, j+1)
			continue
		}
		seen[s.Code] = i
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b SkillLevel) int { return strings.Compare(a.Code, b.Code) })
	return out
}

// checkPeriods checks each period and refuses overlaps: the list filter and
// the matching engine add up covered days, which overlaps would count twice.
func checkPeriods(errs *valid.Errors, in []Period) []Period {
	type indexed struct {
		Period
		i int
	}
	var ok []indexed
	for i, p := range in {
		field := fmt.Sprintf("availability[%d]", i)
		bad := false
		if p.Start.IsZero() {
			errs.Add(field+".start", "indiquez la date de début")
			bad = true
		}
		if p.End.IsZero() {
			errs.Add(field+".end", "indiquez la date de fin")
			bad = true
		}
		if !bad && p.End.Before(p.Start) {
			errs.Add(field+".end", "la fin (%s) précède le début (%s)", fr.Date(p.End), fr.Date(p.Start))
			bad = true
		}
		if p.DaysPerWeek < 1 || p.DaysPerWeek > 5 {
			errs.Add(field+".days_per_week", "de 1 à 5 jours par semaine (ici %d)", p.DaysPerWeek)
			bad = true
		}
		if !bad {
			ok = append(ok, indexed{p, i})
		}
	}
	slices.SortFunc(ok, func(a, b indexed) int { return a.Start.Compare(b.Start) })
	out := make([]Period, 0, len(ok))
	for k, p := range ok {
		if k > 0 && !p.Start.After(ok[k-1].End) {
			prev := ok[k-1]
			errs.Add(fmt.Sprintf("availability[%d].start", p.i), "cette période chevauche celle du %s au %s : fusionnez-les ou décalez-les",
				fr.Date(prev.Start), fr.Date(prev.End))
			continue
		}
		out = append(out, p.Period)
	}
	return out
}

func checkLanguages(errs *valid.Errors, in []string) []string {
	out := []string{}
	for i, l := range in {
		l = strings.ToLower(strings.TrimSpace(l))
		if len(l) != 2 || l[0] < 'a' || l[0] > 'z' || l[1] < 'a' || l[1] > 'z' {
			errs.Add(fmt.Sprintf("languages[%d]", i), "langue %s : écrivez son code à deux lettres (fr, en, de…)", fr.Quote(l))
			continue
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		out = []string{"fr"}
	}
	return out
}
