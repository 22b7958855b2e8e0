package expert

import (
	"fmt"
	"strconv"
	"strings"

	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/skill"
	"vivier/internal/tabular"
)

// The columns of the experts file, in the order export writes them. Import
// accepts them in any order, with any case, accents and spacing.
var Columns = []string{"reference", "nom", "prenom", "email", "telephone", "statut", "employeur_siren", "commune",
	"zones", "competences", "disponibilites", "tjm", "experience_annees", "langues", "bio", "qualifie"}

// aliases are other headers people write for a column.
var aliases = map[string]string{
	"e_mail": "email", "mail": "email", "courriel": "email", "adresse_email": "email",
	"tel": "telephone", "siren_employeur": "employeur_siren", "siren": "employeur_siren",
	"experience": "experience_annees", "annees_experience": "experience_annees", "competence": "competences",
	"disponibilite": "disponibilites", "langue": "langues", "code_insee": "commune", "qualifie_e": "qualifie",
}

// requiredColumns must be in every imported file.
var requiredColumns = []string{"reference", "nom", "email"}

// fieldColumns maps the API field of a validation error to its column.
var fieldColumns = map[string]string{
	"reference": "reference", "last_name": "nom", "first_name": "prenom", "email": "email", "phone": "telephone",
	"employment": "statut", "employer_siren": "employeur_siren", "commune": "commune", "zones": "zones",
	"skills": "competences", "availability": "disponibilites", "daily_rate": "tjm",
	"experience_years": "experience_annees", "languages": "langues", "bio": "bio", "status": "qualifie",
}

// columnOf returns the column of an API field such as "skills[1].level".
func columnOf(field string) string {
	root, _, _ := strings.Cut(field, "[")
	root, _, _ = strings.Cut(root, ".")
	if c, ok := fieldColumns[root]; ok {
		return c
	}
	return field
}

// layout says where each known column is in a file's header.
type layout map[string]int

// readLayout maps the header to the known columns; unknown, repeated and
// missing required columns are errors.
func readLayout(header []string) (layout, []RowError) {
	l := layout{}
	var errs []RowError
	known := map[string]bool{}
	for _, c := range Columns {
		known[c] = true
	}
	for i, h := range header {
		k := tabular.Key(h)
		if a, ok := aliases[k]; ok {
			k = a
		}
		switch {
		case k == "" && strings.TrimSpace(h) == "":
			continue
		case !known[k]:
			errs = append(errs, RowError{Line: 1, Column: tabular.Cut(h, tabular.MaxQuoted), Message: fmt.Sprintf("colonne %s inconnue ; colonnes possibles : %s", tabular.Quote(h), strings.Join(Columns, ", "))})
		case l.has(k):
			errs = append(errs, RowError{Line: 1, Column: tabular.Cut(h, tabular.MaxQuoted), Message: "colonne donnée deux fois"})
		default:
			l[k] = i
		}
	}
	for _, c := range requiredColumns {
		if !l.has(c) {
			errs = append(errs, RowError{Column: c, Message: fmt.Sprintf("colonne obligatoire %s absente de la première ligne", fr.Quote(c))})
		}
	}
	return l, errs
}

func (l layout) has(col string) bool { _, ok := l[col]; return ok }

// cell returns the trimmed cell of col in r.
func (l layout) cell(r tabular.Row, col string) string {
	i, ok := l[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.Cell(i))
}

// fileRow is a parsed row: the profile (fields of absent columns taken from
// the stored expert, if any) and the wish about qualification.
type fileRow struct {
	line    int
	profile Profile
	qualify *bool // nil when the column is absent
}

// parseRow reads the cells of r into a profile, starting from base (the
// stored profile for an update, so absent columns keep their values).
func (l layout) parseRow(r tabular.Row, base Profile) (fileRow, []RowError) {
	out := fileRow{line: r.Line, profile: base}
	var errs []RowError
	bad := func(col, format string, args ...any) {
		errs = append(errs, RowError{Line: r.Line, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	p := &out.profile
	set := func(col string, dst *string) {
		if l.has(col) {
			*dst = l.cell(r, col)
		}
	}
	set("reference", &p.Reference)
	set("nom", &p.LastName)
	set("prenom", &p.FirstName)
	set("email", &p.Email)
	set("telephone", &p.Phone)
	set("employeur_siren", &p.EmployerSIREN)
	if l.has("bio") {
		// The bio keeps its inner line breaks and spacing; only the ends are trimmed.
		p.Bio = strings.TrimSpace(r.Cell(l["bio"]))
	}
	if l.has("statut") {
		p.Employment = Employment(strings.ToLower(l.cell(r, "statut")))
	}
	if l.has("commune") {
		p.Commune = l.cell(r, "commune")
		// A spreadsheet that read "01053" as a number wrote 1053.
		if len(p.Commune) == 4 && strings.Trim(p.Commune, "0123456789") == "" {
			p.Commune = "0" + p.Commune
		}
	}
	if l.has("zones") {
		p.Zones = splitCell(l.cell(r, "zones"))
	}
	if l.has("langues") {
		p.Languages = splitCell(l.cell(r, "langues"))
	}
	if l.has("competences") {
		p.Skills = nil
		for _, item := range splitCell(l.cell(r, "competences")) {
			code, lv, ok := strings.Cut(item, ":")
			n, err := strconv.Atoi(strings.TrimSpace(lv))
			if !ok || err != nil {
				bad("competences", "%s : écrivez code:niveau, par exemple filieres.industrie:3", quoteCell(item))
				continue
			}
			p.Skills = append(p.Skills, SkillLevel{Code: strings.TrimSpace(code), Level: skill.Level(n)})
		}
	}
	if l.has("disponibilites") {
		p.Availability = nil
		for _, item := range splitCell(l.cell(r, "disponibilites")) {
			per, err := parsePeriod(item)
			if err != "" {
				bad("disponibilites", "%s : %s", quoteCell(item), err)
				continue
			}
			p.Availability = append(p.Availability, per)
		}
	}
	if l.has("tjm") {
		n, ok := parseAmount(l.cell(r, "tjm"))
		if !ok {
			bad("tjm", "%s n’est pas un nombre entier d’euros", quoteCell(l.cell(r, "tjm")))
		}
		p.DailyRate = n
	}
	if l.has("experience_annees") {
		n, ok := parseAmount(l.cell(r, "experience_annees"))
		if !ok {
			bad("experience_annees", "%s n’est pas un nombre entier d’années", quoteCell(l.cell(r, "experience_annees")))
		}
		p.ExperienceYears = n
	}
	if l.has("qualifie") {
		var q bool
		switch strings.ToLower(l.cell(r, "qualifie")) {
		case "oui", "o", "yes", "1", "vrai":
			q = true
		case "non", "n", "no", "0", "faux", "":
		default:
			bad("qualifie", "%s : écrivez oui ou non", quoteCell(l.cell(r, "qualifie")))
		}
		out.qualify = &q
	}
	return out, errs
}

// quoteCell quotes a cell's value in a message, cut to 80 characters.
func quoteCell(s string) string { return tabular.Quote(s) }

// columnName names the n-th column of a file (1-based) when the header
// gives it no name: "n° 12"; "" for 0.
func columnName(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("n° %d", n)
}

func splitCell(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// parsePeriod reads "2026-12-01..2027-03-31:3"; the message is "" when it
// is well formed (validation checks the order of the dates and the days).
func parsePeriod(s string) (Period, string) {
	span, days, ok := strings.Cut(s, ":")
	start, end, ok2 := strings.Cut(span, "..")
	if !ok || !ok2 {
		return Period{}, "écrivez début..fin:jours par semaine, par exemple 2026-12-01..2027-03-31:3"
	}
	var p Period
	var err error
	if p.Start, err = date.Parse(strings.TrimSpace(start)); err != nil {
		return Period{}, fmt.Sprintf("date de début %s illisible (AAAA-MM-JJ)", quoteCell(start))
	}
	if p.End, err = date.Parse(strings.TrimSpace(end)); err != nil {
		return Period{}, fmt.Sprintf("date de fin %s illisible (AAAA-MM-JJ)", quoteCell(end))
	}
	if p.DaysPerWeek, err = strconv.Atoi(strings.TrimSpace(days)); err != nil {
		return Period{}, fmt.Sprintf("jours par semaine %s illisibles (de 1 à 5)", quoteCell(days))
	}
	return p, ""
}

// parseAmount reads a whole number as people type it ("650", "650 €",
// "1 200", "650,00"); empty is nil.
func parseAmount(s string) (*int, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '€' {
			return -1
		}
		return r
	}, s)
	for _, zero := range []string{",00", ".00", ",0", ".0"} {
		s = strings.TrimSuffix(s, zero)
	}
	if s == "" {
		return nil, true
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, false
	}
	return &n, true
}

// record writes an expert as a row of Columns.
func record(e Expert) []string {
	skills := make([]string, len(e.Skills))
	for i, s := range e.Skills {
		skills[i] = fmt.Sprintf("%s:%d", s.Code, s.Level)
	}
	periods := make([]string, len(e.Availability))
	for i, p := range e.Availability {
		periods[i] = fmt.Sprintf("%s..%s:%d", p.Start, p.End, p.DaysPerWeek)
	}
	qualified := "non"
	if e.Status == Qualified {
		qualified = "oui"
	}
	return []string{e.Reference, e.LastName, e.FirstName, e.Email, e.Phone, string(e.Employment), e.EmployerSIREN, e.Commune,
		strings.Join(e.Zones, "|"), strings.Join(skills, "|"), strings.Join(periods, "|"), amount(e.DailyRate),
		amount(e.ExperienceYears), strings.Join(e.Languages, "|"), e.Bio, qualified}
}

func amount(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// RowError is one bad line or cell of an imported file (see package tabular).
type RowError = tabular.RowError
