package network

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/tabular"
	"vivier/internal/valid"
)

// MaxImportSize bounds a members file (a few thousand rows at most).
const MaxImportSize = 5 << 20

// ImportColumns are the columns of a members file, French headers in any
// order: organisation, siren and email_referent are required, and budget
// (an agency's) or population (a collectivité's).
var ImportColumns = []string{"organisation", "siren", "type", "budget", "population", "email_referent", "nom_referent",
	"adresse", "site", "territoire", "themes", "annuaire_public", "annee_adhesion"}

var requiredImportColumns = []string{"organisation", "siren", "email_referent"}

// RowError is what is wrong with a line of a members file, and in which
// column.
type RowError struct {
	Line    int    `json:"line"`   // 0 for the whole file
	Column  string `json:"column"` // "" when none
	Message string `json:"message"`
}

func (e RowError) Error() string {
	switch {
	case e.Line > 0 && e.Column != "":
		return fmt.Sprintf("ligne %d, colonne %s : %s", e.Line, e.Column, e.Message)
	case e.Line > 0:
		return fmt.Sprintf("ligne %d : %s", e.Line, e.Message)
	case e.Column != "":
		return fmt.Sprintf("colonne %s : %s", e.Column, e.Message)
	}
	return e.Message
}

// ImportError refuses a members file: every bad line and column, nothing
// written.
type ImportError struct{ Errors []RowError }

func (e *ImportError) Error() string {
	parts := make([]string, 0, min(len(e.Errors), 20))
	for i, re := range e.Errors {
		if i == 20 {
			parts = append(parts, fmt.Sprintf("… et %d autres", len(e.Errors)-20))
			break
		}
		parts = append(parts, re.Error())
	}
	return fmt.Sprintf("fichier refusé, rien n’a été importé (%s) : %s", fr.Plural(len(e.Errors), "erreur", "erreurs"), strings.Join(parts, " ; "))
}

// ImportRow is a valid line of a members file.
type ImportRow struct {
	Line          int
	Kind          organisation.Kind
	Name          string
	SIREN         string
	Entry         MemberInput
	places        []place
	ReferentEmail string
	ReferentName  string
	JoinedYear    int
	Change        string // "created" (a new member) or "updated"
}

// ImportReport tells what an import did, or would do (PreviewMembers).
type ImportReport struct {
	Format   string
	Encoding string
	Created  int
	Updated  int
	Invited  int // referents invited
	Rows     []ImportRow
	Errors   []RowError
}

// PreviewMembers reads and checks a members file as ImportMembers would,
// writing nothing; staff only.
func (s *Service) PreviewMembers(ctx context.Context, r io.Reader, actor access.Actor) (ImportReport, error) {
	if err := staffOnly(actor); err != nil {
		return ImportReport{}, err
	}
	return s.planImport(ctx, r)
}

// ImportMembers reads a members file (CSV or XLSX, package tabular) and,
// when every line is good, creates or updates each member in one
// transaction, keyed on the SIREN: a new member joins (its membership of
// this year created, prorated only when annee_adhesion is this year) and
// its referent is invited; a known member gets its declared basis and the
// other columns given. A file with any bad line is refused whole, as an
// *ImportError naming each line and column. Staff only.
func (s *Service) ImportMembers(ctx context.Context, r io.Reader, actor access.Actor) (ImportReport, error) {
	if err := staffOnly(actor); err != nil {
		return ImportReport{}, err
	}
	rep, err := s.planImport(ctx, r)
	if err != nil {
		return rep, err
	}
	rep.Invited = 0
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		rep.Invited = 0
		for _, row := range rep.Rows {
			invited, err := s.applyRow(ctx, tx, row, actor)
			if err != nil {
				return fmt.Errorf("ligne %d : %w", row.Line, err)
			}
			if invited {
				rep.Invited++
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.members_imported", Subject: "members",
			Details: map[string]any{"created": rep.Created, "updated": rep.Updated}})
	})
	if err != nil {
		rep.Created, rep.Updated, rep.Invited = 0, 0, 0
	}
	return rep, err
}

// planImport parses and checks the file, then checks it against the
// stored organisations and accounts, before any write.
func (s *Service) planImport(ctx context.Context, r io.Reader) (ImportReport, error) {
	var rep ImportReport
	fail := func(errs []RowError) (ImportReport, error) {
		rep.Errors = errs
		rep.Rows = nil
		return rep, &ImportError{Errors: errs}
	}
	t, err := tabular.Read(r, MaxImportSize)
	var te *tabular.Error
	if errors.As(err, &te) {
		return fail([]RowError{{Line: te.Line, Message: te.Message}})
	}
	if err != nil {
		return rep, err
	}
	rep.Format, rep.Encoding = t.Format, t.Encoding
	cols := map[string]int{}
	var errs []RowError
	for i, h := range t.Header {
		k := tabular.Key(h)
		switch {
		case k == "":
		case !slices.Contains(ImportColumns, k):
			errs = append(errs, RowError{Line: 1, Column: h, Message: fmt.Sprintf("colonne %s inconnue ; colonnes possibles : %s", fr.Quote(h), strings.Join(ImportColumns, ", "))})
		default:
			if _, dup := cols[k]; dup {
				errs = append(errs, RowError{Line: 1, Column: h, Message: "colonne donnée deux fois"})
			}
			cols[k] = i
		}
	}
	for _, c := range requiredImportColumns {
		if _, ok := cols[c]; !ok {
			errs = append(errs, RowError{Column: c, Message: fmt.Sprintf("colonne obligatoire %s absente de la première ligne", fr.Quote(c))})
		}
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	today := s.today()
	seenSIREN, seenEmail := map[string]int{}, map[string]int{}
	for _, tr := range t.Rows {
		cell := func(c string) string {
			if i, ok := cols[c]; ok {
				return strings.TrimSpace(tr.Cell(i))
			}
			return ""
		}
		row, rowErrs := s.parseRow(tr.Line, cell, today)
		if row.SIREN != "" {
			if first, dup := seenSIREN[row.SIREN]; dup {
				rowErrs = append(rowErrs, RowError{Line: tr.Line, Column: "siren", Message: fmt.Sprintf("SIREN %s déjà donné ligne %d", row.SIREN, first)})
			} else {
				seenSIREN[row.SIREN] = tr.Line
			}
		}
		if row.ReferentEmail != "" {
			if first, dup := seenEmail[row.ReferentEmail]; dup {
				rowErrs = append(rowErrs, RowError{Line: tr.Line, Column: "email_referent", Message: fmt.Sprintf("adresse déjà donnée ligne %d", first)})
			} else {
				seenEmail[row.ReferentEmail] = tr.Line
			}
		}
		errs = append(errs, rowErrs...)
		if len(rowErrs) == 0 {
			rep.Rows = append(rep.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		errs = append(errs, RowError{Message: "le fichier n’a aucune ligne d’adhérent sous ses en-têtes"})
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	if errs, err = s.checkStored(ctx, &rep, today.Year); err != nil {
		return rep, err
	}
	if len(errs) > 0 {
		return fail(errs)
	}
	return rep, nil
}

// importFields are the columns of the fields of a MemberInput.
var importFields = map[string]string{"address": "adresse", "website": "site", "territory": "territoire", "themes": "themes",
	"basis": "budget", "email": "email_referent", "name": "organisation", "siren": "siren"}

// parseRow parses and checks one line on its own.
func (s *Service) parseRow(line int, cell func(string) string, today date.Date) (ImportRow, []RowError) {
	var errs []RowError
	add := func(col, format string, args ...any) {
		errs = append(errs, RowError{Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	row := ImportRow{Line: line, Kind: organisation.Agence, Name: cell("organisation"), SIREN: organisation.NormalizeSIREN(cell("siren")),
		ReferentEmail: account.NormaliseEmail(cell("email_referent")), ReferentName: cell("nom_referent"), JoinedYear: today.Year}
	if k := cell("type"); k != "" {
		row.Kind = organisation.Kind(strings.ToLower(k))
		if !slices.Contains(JoiningKinds(), row.Kind) {
			add("type", "type %s inconnu : agence, region, departement, epci ou commune", fr.Quote(k))
		}
	}
	if row.Name == "" {
		add("organisation", "nom vide")
	}
	if msg := organisation.CheckSIREN(row.SIREN); msg != "" {
		add("siren", "%s", msg)
	}
	basisCol := "budget"
	if BasisOf(row.Kind) == Population {
		basisCol = "population"
	}
	var basis int64
	if v := strings.Map(dropSpaces, cell(basisCol)); v == "" {
		add(basisCol, "indiquez le %s déclaré (un nombre entier)", map[string]string{"budget": "budget annuel en euros", "population": "nombre d’habitants couverts"}[basisCol])
	} else if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 || n > MaxBasis {
		add(basisCol, "%s n’est pas un nombre entier de 0 à %s", fr.Quote(cell(basisCol)), fr.Int(MaxBasis))
	} else {
		basis = n
	}
	if row.ReferentEmail == "" {
		add("email_referent", "adresse du référent vide")
	}
	if row.ReferentName == "" {
		row.ReferentName = row.Name
	}
	in := MemberInput{Address: cell("adresse"), Website: cell("site"), Territory: SplitTerritory(cell("territoire")),
		Themes: strings.Split(cell("themes"), "|"), Basis: basis, Email: row.ReferentEmail}
	switch v := strings.ToLower(cell("annuaire_public")); v {
	case "", "non":
	case "oui":
		in.Listed = true
	default:
		add("annuaire_public", "écrivez oui ou non, pas %s", fr.Quote(cell("annuaire_public")))
	}
	if v := cell("annee_adhesion"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1950 || y > today.Year {
			add("annee_adhesion", "%s n’est pas une année de 1950 à %d", fr.Quote(v), today.Year)
		}
		row.JoinedYear = y
	} else {
		// A member imported without its year of joining is no newcomer:
		// its fee is the full year's.
		row.JoinedYear = today.Year - 1
	}
	var verrs valid.Errors
	row.Entry, row.places = s.checkEntry(in, &verrs)
	row.Entry.Email = "" // the referent's address is not the member's contact address
	for _, fe := range verrs {
		add(importFields[fe.Field], "%s", fe.Message)
	}
	return row, errs
}

func dropSpaces(r rune) rune {
	if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '.' {
		return -1
	}
	return r
}

// checkStored checks the rows against the stored organisations and
// accounts, and marks each row created or updated.
func (s *Service) checkStored(ctx context.Context, rep *ImportReport, year int) ([]RowError, error) {
	var errs []RowError
	creates := false
	for i := range rep.Rows {
		row := &rep.Rows[i]
		var orgID int64
		var kind organisation.Kind
		var member bool
		err := s.db.QueryRowContext(ctx, `SELECT o.id, o.kind, m.organisation_id IS NOT NULL FROM organisations o
			LEFT JOIN members m ON m.organisation_id = o.id WHERE o.siren = $1`, row.SIREN).Scan(&orgID, &kind, &member)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, err
		case kind != row.Kind:
			errs = append(errs, RowError{Line: row.Line, Column: "type", Message: fmt.Sprintf("l’organisation de SIREN %s est déjà connue comme %s", row.SIREN, strings.ToLower(kind.Label()))})
		}
		if !member {
			row.Change = "created"
			rep.Created++
			creates = true
			if row.Kind.FromReference() && !s.inReference(row.Kind, row.SIREN) {
				errs = append(errs, RowError{Line: row.Line, Column: "siren", Message: fmt.Sprintf("aucune %s du référentiel géographique n’a le SIREN %s",
					map[organisation.Kind]string{organisation.EPCI: "intercommunalité", organisation.Commune: "commune"}[row.Kind], row.SIREN)})
			}
		} else {
			row.Change = "updated"
			rep.Updated++
		}
		u, err := account.ByEmail(ctx, s.db, row.ReferentEmail)
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		case u.Role != "member" || orgID == 0 || u.OrganisationID != orgID || u.Status == account.Erased:
			errs = append(errs, RowError{Line: row.Line, Column: "email_referent", Message: fmt.Sprintf("l’adresse %s est déjà celle d’un compte qui n’est pas de cette organisation", row.ReferentEmail)})
		}
	}
	if creates {
		if _, err := loadSchedule(ctx, s.db, year); isNotFound(err) {
			errs = append(errs, RowError{Message: fmt.Sprintf("le barème %d n’est pas encore fixé : un administrateur le fixe avant d’importer de nouveaux adhérents", year)})
		} else if err != nil {
			return nil, err
		}
	}
	return errs, nil
}

// inReference reports whether the reference has an EPCI or a commune with
// siren.
func (s *Service) inReference(kind organisation.Kind, siren string) bool {
	if kind == organisation.EPCI {
		_, ok := s.geo.EPCI(siren)
		return ok
	}
	for c := range s.geo.Communes() {
		if c.SIREN == siren {
			return true
		}
	}
	return false
}

// applyRow writes one checked row inside tx; it reports whether a referent
// was invited.
func (s *Service) applyRow(ctx context.Context, tx *sql.Tx, row ImportRow, actor access.Actor) (bool, error) {
	today := s.today()
	var orgID int64
	if row.Change == "created" {
		org, err := s.joiningOrganisation(ctx, tx, JoinInput{Kind: row.Kind, MemberInput: MemberInput{Name: row.Name, SIREN: row.SIREN}})
		if err != nil {
			return false, err
		}
		orgID = org.ID
		if err := s.insertMember(ctx, tx, org, row.Entry, row.places, row.JoinedYear); err != nil {
			return false, err
		}
		joined := date.Date{}
		if row.JoinedYear == today.Year {
			joined = today
		}
		if _, err := s.createMembership(ctx, tx, orgID, today.Year, joined); err != nil {
			return false, err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.member_joined", Subject: subject("member", orgID),
			Details: map[string]any{"kind": string(row.Kind), "import": true}}); err != nil {
			return false, err
		}
	} else {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE siren = $1`, row.SIREN).Scan(&orgID); err != nil {
			return false, err
		}
		old, err := s.getMember(ctx, tx, orgID)
		if err != nil {
			return false, err
		}
		in := row.Entry
		in.Email, in.Phone = old.Email, old.Phone
		if in.Address == "" {
			in.Address = old.Address
		}
		if in.Website == "" {
			in.Website = old.Website
		}
		places := row.places
		if len(in.Territory) == 0 {
			in.Territory = old.Territory
			if places, err = parseTerritory(s.geo, old.Territory); err != nil {
				return false, err
			}
		}
		if len(in.Themes) == 0 {
			in.Themes = old.Themes
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET address = $1, website = $2, themes = $3, basis = $4, listed = $5, updated_at = $6
			WHERE organisation_id = $7`, in.Address, in.Website, strings.Join(in.Themes, "|"), in.Basis, in.Listed, s.now(), orgID); err != nil {
			return false, err
		}
		if err := writeTerritory(ctx, tx, orgID, places); err != nil {
			return false, err
		}
	}
	_, err := account.ByEmail(ctx, tx, row.ReferentEmail)
	exists := err == nil
	if err != nil && !isNotFound(err) {
		return false, err
	}
	if _, err := s.invite(ctx, tx, orgID, Invitation{Name: row.ReferentName, Email: row.ReferentEmail, Referent: true}, actor); err != nil {
		return false, err
	}
	return !exists, nil
}
