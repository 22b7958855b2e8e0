package audience

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/tabular"
	"vivier/internal/valid"
)

// Bounds of an imported file of counts.
const (
	MaxImportSize = 5 << 20
	MaxImportRows = 20000
)

// Columns are the columns of an imported file of counts, French headers in
// any order: compte (the account's identifier, « linkedin »), date
// (AAAA-MM-JJ or JJ/MM/AAAA) and valeur (a whole number; spaces between
// thousands allowed).
var Columns = []string{"compte", "date", "valeur"}

var aliases = map[string]string{"account": "compte", "slug": "compte", "jour": "date", "day": "date", "value": "valeur",
	"abonnes": "valeur", "visiteurs": "valeur", "nombre": "valeur"}

// ImportReport says what an import did.
type ImportReport struct {
	Written   int `json:"written"`   // counts created or changed
	Unchanged int `json:"unchanged"` // counts already there with that value
}

// row is a checked line of a file.
type row struct {
	account int64
	count   Count
}

// Import reads a CSV or XLSX file of counts (see Columns) and records each
// one, replacing the count of the same account and day, all in one
// transaction; staff only. The whole file is read and checked first: when
// any row is bad the error is an *ImportError listing every bad row and
// column, and nothing is written.
func (s *Service) Import(ctx context.Context, r io.Reader, actor access.Actor) (ImportReport, error) {
	if err := staffOnly(actor); err != nil {
		return ImportReport{}, err
	}
	rows, err := s.parse(ctx, r, actor)
	if err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, r := range rows {
			changed, err := upsert(ctx, tx, r.account, r.count, now)
			if err != nil {
				return err
			}
			if changed {
				rep.Written++
			} else {
				rep.Unchanged++
			}
		}
		if rep.Written == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "audience.import", Subject: "audience_counts",
			Details: map[string]any{"written": rep.Written, "unchanged": rep.Unchanged}})
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

func (s *Service) parse(ctx context.Context, r io.Reader, actor access.Actor) ([]row, error) {
	table, err := tabular.Read(r, MaxImportSize)
	var te *tabular.Error
	if errors.As(err, &te) {
		return nil, &ImportError{Errors: []RowError{{Line: te.Line, Message: te.Message}}}
	}
	if err != nil {
		return nil, err
	}
	var errs []RowError
	col := map[string]int{}
	for i, h := range table.Header {
		k := tabular.Key(h)
		if a, ok := aliases[k]; ok {
			k = a
		}
		_, dup := col[k]
		switch {
		case k == "":
		case k != "compte" && k != "date" && k != "valeur":
			errs = append(errs, RowError{Line: 1, Column: h, Message: fmt.Sprintf("colonne %s inconnue ; colonnes possibles : %s", fr.Quote(h), strings.Join(Columns, ", "))})
		case dup:
			errs = append(errs, RowError{Line: 1, Column: h, Message: "colonne donnée deux fois"})
		default:
			col[k] = i
		}
	}
	for _, c := range Columns {
		if _, ok := col[c]; !ok {
			errs = append(errs, RowError{Line: 1, Column: c, Message: "colonne obligatoire absente"})
		}
	}
	if len(table.Rows) > MaxImportRows {
		errs = append(errs, RowError{Message: fmt.Sprintf("%s lignes au plus par fichier (ici %s) : découpez-le", fr.Int(MaxImportRows), fr.Int(int64(len(table.Rows))))})
	}
	if len(errs) > 0 {
		return nil, tabular.Refuse(errs)
	}
	accounts, err := s.Accounts(ctx, actor)
	if err != nil {
		return nil, err
	}
	slugs := map[string]int64{}
	var known []string
	for _, a := range accounts {
		slugs[a.Slug] = a.ID
		known = append(known, a.Slug)
	}
	seen := map[string]int{}
	var out []row
	for _, tr := range table.Rows {
		cell := func(c string) string { return strings.TrimSpace(tr.Cell(col[c])) }
		add := func(c, msg string) { errs = append(errs, RowError{Line: tr.Line, Column: c, Message: msg}) }
		var rw row
		ok := true
		if id, found := slugs[strings.ToLower(cell("compte"))]; found {
			rw.account = id
		} else {
			ok = false
			add("compte", fmt.Sprintf("aucun compte n’a l’identifiant %s ; comptes : %s", fr.Quote(cell("compte")), strings.Join(known, ", ")))
		}
		if d, good := parseDay(cell("date")); good {
			rw.count.Day = d
		} else {
			ok = false
			add("date", fmt.Sprintf("date %s invalide : AAAA-MM-JJ ou JJ/MM/AAAA", fr.Quote(cell("date"))))
		}
		if v, good := parseValue(cell("valeur")); good {
			rw.count.Value = v
		} else {
			ok = false
			add("valeur", fmt.Sprintf("nombre %s invalide : un nombre entier entre 0 et 1 000 000 000", fr.Quote(cell("valeur"))))
		}
		if !ok {
			continue
		}
		var verrs valid.Errors
		s.checkCount(&verrs, rw.count)
		for _, e := range verrs {
			add(map[string]string{"day": "date", "value": "valeur"}[e.Field], e.Message)
		}
		key := strconv.FormatInt(rw.account, 10) + " " + rw.count.Day.String()
		if first, dup := seen[key]; dup {
			add("date", "ce compte a déjà un relevé à cette date ligne "+fr.Int(int64(first)))
			continue
		}
		seen[key] = tr.Line
		out = append(out, rw)
	}
	if len(errs) > 0 {
		return nil, tabular.Refuse(errs)
	}
	if len(out) == 0 {
		return nil, &ImportError{Errors: []RowError{{Message: "le fichier ne contient aucune ligne de données"}}}
	}
	return out, nil
}

// parseDay reads AAAA-MM-JJ or JJ/MM/AAAA.
func parseDay(s string) (date.Date, bool) {
	if d, err := date.Parse(s); err == nil {
		return d, true
	}
	var dd, mm, yy int
	if n, err := fmt.Sscanf(s, "%d/%d/%d", &dd, &mm, &yy); err == nil && n == 3 && len(s) == 10 {
		if d, err := date.Parse(fmt.Sprintf("%04d-%02d-%02d", yy, mm, dd)); err == nil {
			return d, true
		}
	}
	return date.Date{}, false
}

// parseValue reads a whole number, with spaces (narrow or not) between
// thousands as French spreadsheets write them.
func parseValue(s string) (int, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			return -1
		}
		return r
	}, s)
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0 && n <= MaxValue
}

// RowError is one bad line or cell of an imported file (see package tabular).
type RowError = tabular.RowError

// ImportError refuses a whole file, nothing written (see package tabular).
type ImportError = tabular.ImportError
