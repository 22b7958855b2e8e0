package press

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/tabular"
)

// Bounds of an imported file of mentions.
const (
	MaxImportSize = 5 << 20
	MaxImportRows = 5000
)

// Columns are the columns of an imported file, French headers in any order
// (accents, case and spaces do not matter): media, portee (national,
// regional or specialisee), date (AAAA-MM-JJ or JJ/MM/AAAA) and titre are
// required; lien, sujet, agences (SIREN or exact names, separated by |) and
// experts (references, separated by |) are optional.
var Columns = []string{"media", "portee", "date", "titre", "lien", "sujet", "agences", "experts"}

// aliases are other headers people write for the columns.
var aliases = map[string]string{"outlet": "media", "journal": "media", "support": "media", "scope": "portee",
	"published_on": "date", "date_de_parution": "date", "title": "titre", "url": "lien", "topic": "sujet", "agencies": "agences"}

// field maps the API's field names to the file's columns.
var field = map[string]string{"outlet": "media", "scope": "portee", "published_on": "date", "title": "titre", "url": "lien",
	"topic": "sujet", "agencies": "agences", "experts": "experts"}

// ImportReport says what an import did.
type ImportReport struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// Import reads a CSV or XLSX file of mentions (see Columns) and upserts
// each article on its outlet, day and title, all in one transaction; staff
// only. The whole file is read and checked first: when any row is bad the
// error is an *ImportError listing every bad row and column, and nothing is
// written.
func (s *Service) Import(ctx context.Context, r io.Reader, actor access.Actor) (ImportReport, error) {
	if err := staffOnly(actor); err != nil {
		return ImportReport{}, err
	}
	inputs, err := s.parse(ctx, r)
	if err != nil {
		return ImportReport{}, err
	}
	var rep ImportReport
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, in := range inputs {
			var id int64
			err := tx.QueryRowContext(ctx, `SELECT id FROM press_mentions WHERE outlet = $1 AND published_on = $2 AND title = $3`,
				in.Outlet, in.PublishedOn, in.Title).Scan(&id)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := insert(ctx, tx, in, now); err != nil {
					return err
				}
				rep.Created++
				continue
			case err != nil:
				return err
			}
			old, err := query(ctx, tx, "m.id = $1", id)
			if err != nil {
				return err
			}
			if len(old) == 1 && same(old[0], in) {
				rep.Unchanged++
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE press_mentions SET scope = $1, url = $2, topic = $3, updated_at = $4 WHERE id = $5`,
				string(in.Scope), in.URL, in.Topic, now, id); err != nil {
				return err
			}
			if err := writeCited(ctx, tx, id, in); err != nil {
				return err
			}
			rep.Updated++
		}
		if rep.Created+rep.Updated == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "press.import", Subject: "press_mentions",
			Details: map[string]any{"created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged}})
	})
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

// parse reads and checks the whole file before anything is written.
func (s *Service) parse(ctx context.Context, r io.Reader) ([]Input, error) {
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
	known := map[string]bool{}
	for _, c := range Columns {
		known[c] = true
	}
	for i, h := range table.Header {
		k := tabular.Key(h)
		if a, ok := aliases[k]; ok {
			k = a
		}
		switch _, dup := col[k]; {
		case k == "":
			continue
		case !known[k]:
			errs = append(errs, RowError{Line: 1, Column: h, Message: fmt.Sprintf("colonne %s inconnue ; colonnes possibles : %s", fr.Quote(h), strings.Join(Columns, ", "))})
		case dup:
			errs = append(errs, RowError{Line: 1, Column: h, Message: "colonne donnée deux fois"})
		default:
			col[k] = i
		}
	}
	for _, c := range Columns[:4] {
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
	_, cites := col["experts"]
	lk, err := s.lookups(ctx, cites)
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	var inputs []Input
	for _, row := range table.Rows {
		cell := func(c string) string {
			i, ok := col[c]
			if !ok {
				return ""
			}
			return strings.TrimSpace(row.Cell(i))
		}
		var bad []RowError
		add := func(c, msg string) { bad = append(bad, RowError{Line: row.Line, Column: c, Message: msg}) }
		in := Input{Outlet: cell("media"), Title: cell("titre"), URL: cell("lien"), Topic: cell("sujet")}
		if sc, ok := scopeOf(cell("portee")); ok {
			in.Scope = sc
		} else {
			add("portee", fmt.Sprintf("portée %s inconnue : national, regional ou specialisee", fr.Quote(cell("portee"))))
		}
		if d, ok := parseDay(cell("date")); ok {
			in.PublishedOn = d
		} else if cell("date") != "" {
			add("date", fmt.Sprintf("date %s invalide : AAAA-MM-JJ ou JJ/MM/AAAA", fr.Quote(cell("date"))))
		}
		for _, name := range split(cell("agences")) {
			if id, msg := lk.agency(name); msg != "" {
				add("agences", msg)
			} else {
				in.Agencies = append(in.Agencies, id)
			}
		}
		for _, ref := range split(cell("experts")) {
			if id, ok := lk.experts[ref]; ok {
				in.Experts = append(in.Experts, id)
			} else {
				add("experts", fmt.Sprintf("aucun expert n’a la référence %s", fr.Quote(ref)))
			}
		}
		in, verrs, err := s.normalise(ctx, s.db, in)
		if err != nil {
			return nil, err
		}
		for _, e := range verrs {
			// A cell already refused above is not refused twice.
			if !hasColumn(bad, field[e.Field]) {
				add(field[e.Field], e.Message)
			}
		}
		key := in.Outlet + "\x00" + in.PublishedOn.String() + "\x00" + in.Title
		if first, dup := seen[key]; dup && len(bad) == 0 {
			add("titre", "le même article (média, date, titre) figure déjà ligne "+fr.Int(int64(first)))
		} else if !dup {
			seen[key] = row.Line
		}
		errs = append(errs, bad...)
		inputs = append(inputs, in)
	}
	if len(errs) > 0 {
		return nil, tabular.Refuse(errs)
	}
	if len(inputs) == 0 {
		return nil, &ImportError{Errors: []RowError{{Message: "le fichier ne contient aucune ligne de données"}}}
	}
	return inputs, nil
}

func hasColumn(list []RowError, c string) bool {
	for _, e := range list {
		if e.Column == c {
			return true
		}
	}
	return false
}

// scopeOf reads a scope as people write it: national(e), régional(e),
// spécialisée, trade.
func scopeOf(s string) (Scope, bool) {
	switch tabular.Key(s) {
	case "national", "nationale":
		return National, true
	case "regional", "regionale", "locale", "local":
		return Regional, true
	case "trade", "specialisee", "specialise", "professionnelle":
		return Trade, true
	}
	return "", false
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

// split cuts a cell of several values separated by | or ;.
func split(cell string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(cell, func(r rune) bool { return r == '|' || r == ';' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// lookups are the agencies and experts a file may cite, read once.
type lookups struct {
	sirens  map[string]int64
	names   map[string][]int64 // lower-case name → agencies
	experts map[string]int64   // reference → expert
}

func (s *Service) lookups(ctx context.Context, experts bool) (lookups, error) {
	lk := lookups{sirens: map[string]int64{}, names: map[string][]int64{}, experts: map[string]int64{}}
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, coalesce(siren, '') FROM organisations WHERE kind = 'agence'`)
	if err != nil {
		return lk, err
	}
	for rows.Next() {
		var id int64
		var name, siren string
		if err := rows.Scan(&id, &name, &siren); err != nil {
			rows.Close()
			return lk, err
		}
		if siren != "" {
			lk.sirens[siren] = id
		}
		k := strings.ToLower(strings.TrimSpace(name))
		lk.names[k] = append(lk.names[k], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil || !experts {
		return lk, err
	}
	rows, err = s.db.QueryContext(ctx, `SELECT id, reference FROM experts`)
	if err != nil {
		return lk, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref string
		if err := rows.Scan(&id, &ref); err != nil {
			return lk, err
		}
		lk.experts[ref] = id
	}
	return lk, rows.Err()
}

// agency finds an agency by SIREN or exact name; msg says why not.
func (lk lookups) agency(s string) (int64, string) {
	if id, ok := lk.sirens[strings.ReplaceAll(s, " ", "")]; ok {
		return id, ""
	}
	switch ids := lk.names[strings.ToLower(s)]; len(ids) {
	case 1:
		return ids[0], ""
	case 0:
		return 0, fmt.Sprintf("aucune agence n’a le SIREN ou le nom %s", fr.Quote(s))
	}
	return 0, fmt.Sprintf("plusieurs agences s’appellent %s : donnez leur SIREN", fr.Quote(s))
}

// RowError is one bad line or cell of an imported file (see package tabular).
type RowError = tabular.RowError

// ImportError refuses a whole file, nothing written (see package tabular).
type ImportError = tabular.ImportError
