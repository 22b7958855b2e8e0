package network

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/tabular"
)

// MaxImportSize bounds a members file (a few thousand rows at most).
const MaxImportSize = 5 << 20

// ImportColumns are the columns of a members file, French headers in any
// order: organisation, siren and email_referent are required, and budget
// (an agency's) or population (a collectivité's).
var ImportColumns = []string{"organisation", "siren", "type", "budget", "population", "email_referent", "nom_referent",
	"adresse", "site", "territoire", "themes", "annuaire_public", "annee_adhesion"}

var requiredImportColumns = []string{"organisation", "siren", "email_referent"}

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
		return rep, tabular.Refuse(errs)
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
				rowErrs = append(rowErrs, RowError{Line: tr.Line, Column: "siren", Message: fmt.Sprintf("SIREN %s déjà donné ligne %s", row.SIREN, fr.Int(int64(first)))})
			} else {
				seenSIREN[row.SIREN] = tr.Line
			}
		}
		if row.ReferentEmail != "" {
			if first, dup := seenEmail[row.ReferentEmail]; dup {
				rowErrs = append(rowErrs, RowError{Line: tr.Line, Column: "email_referent", Message: "adresse déjà donnée ligne " + fr.Int(int64(first))})
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

// RowError is one bad line or cell of an imported file (see package tabular).
type RowError = tabular.RowError

// ImportError refuses a whole file, nothing written (see package tabular).
type ImportError = tabular.ImportError
