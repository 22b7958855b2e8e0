package training

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/store"
	"vivier/internal/tabular"
	"vivier/internal/valid"
)

// MoocCount is the counts of one MOOC session, run on another platform.
type MoocCount struct {
	Label     string // e.g. "Session de printemps 2026"
	StartsOn  date.Date
	Enrolled  int
	Completed int
}

func moocCounts(ctx context.Context, q store.Querier, trainingID int64) ([]MoocCount, error) {
	rows, err := q.QueryContext(ctx, `SELECT label, starts_on, enrolled, completed FROM mooc_counts WHERE training_id = $1 ORDER BY starts_on, label`, trainingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []MoocCount
	for rows.Next() {
		var c MoocCount
		if err := rows.Scan(&c.Label, &c.StartsOn, &c.Enrolled, &c.Completed); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// MoocCounts returns the counts entered for a MOOC.
func (s *Service) MoocCounts(ctx context.Context, trainingID int64, actor access.Actor) ([]MoocCount, error) {
	if _, err := getTraining(ctx, s.db, trainingID); err != nil {
		return nil, err
	}
	return moocCounts(ctx, s.db, trainingID)
}

func checkCount(c MoocCount, errs *valid.Errors) MoocCount {
	c.Label = text(errs, "label", c.Label, 200)
	if c.Label == "" && !errs.Has("label") {
		errs.Add("label", "nommez la session du MOOC")
	}
	if c.StartsOn.IsZero() {
		errs.Add("starts_on", "indiquez la date de début de la session")
	}
	if c.Enrolled < 0 || c.Enrolled > 10000000 {
		errs.Add("enrolled", "le nombre d’inscrits est un entier positif")
	}
	if c.Completed < 0 || c.Completed > c.Enrolled {
		errs.Add("completed", "le nombre de personnes ayant terminé est entre 0 et le nombre d’inscrits")
	}
	return c
}

// SetMoocCounts records (or corrects, by label) the counts of MOOC
// sessions, all or nothing.
func (s *Service) SetMoocCounts(ctx context.Context, trainingID int64, counts []MoocCount, actor access.Actor) error {
	if err := staffOnly(actor); err != nil {
		return err
	}
	t, err := getTraining(ctx, s.db, trainingID)
	if err != nil {
		return err
	}
	if t.Kind != MOOC {
		return access.Errorf(access.Conflict, "« %s » n’est pas un MOOC : ses sessions ont leurs inscriptions", t.Title)
	}
	var errs valid.Errors
	for i := range counts {
		counts[i] = checkCount(counts[i], &errs)
	}
	if len(errs) > 0 {
		return errs
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		for _, c := range counts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO mooc_counts (training_id, label, starts_on, enrolled, completed, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (training_id, label) DO UPDATE SET starts_on = excluded.starts_on,
				enrolled = excluded.enrolled, completed = excluded.completed, updated_at = excluded.updated_at`,
				trainingID, c.Label, c.StartsOn, c.Enrolled, c.Completed, now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "training.mooc_counts", Subject: fmt.Sprintf("training:%d", trainingID),
			Details: map[string]any{"sessions": len(counts)}})
	})
}

// ImportError refuses a whole file: every bad line with its column.
type ImportError struct{ Errors []*tabular.Error }

func (e *ImportError) Error() string {
	return fr.Int(int64(len(e.Errors))) + " ligne(s) en erreur, rien n’a été importé"
}

// ImportMoocCounts reads a CSV or XLSX of MOOC sessions — columns session,
// debut (AAAA-MM-JJ or JJ/MM/AAAA), inscrits, termines — checked whole
// before anything is written.
func (s *Service) ImportMoocCounts(ctx context.Context, trainingID int64, r io.Reader, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	tbl, err := tabular.Read(r, 1<<20)
	if te, ok := err.(*tabular.Error); ok {
		return 0, &ImportError{Errors: []*tabular.Error{te}}
	}
	if err != nil {
		return 0, err
	}
	col := map[string]int{}
	for i, h := range tbl.Header {
		col[tabular.Key(h)] = i
	}
	var bad []*tabular.Error
	for _, want := range []string{"session", "debut", "inscrits", "termines"} {
		if _, ok := col[want]; !ok {
			bad = append(bad, &tabular.Error{Line: 1, Message: "colonne « " + want + " » manquante (session, debut, inscrits, termines)"})
		}
	}
	if len(bad) > 0 {
		return 0, &ImportError{Errors: bad}
	}
	var counts []MoocCount
	for _, row := range tbl.Rows {
		c := MoocCount{Label: row.Cell(col["session"])}
		cell := func(name string) string { return strings.TrimSpace(row.Cell(col[name])) }
		if d, err := date.Parse(cell("debut")); err == nil {
			c.StartsOn = d
		} else if d, ok := frenchDate(cell("debut")); ok {
			c.StartsOn = d
		} else {
			bad = append(bad, &tabular.Error{Line: row.Line, Column: col["debut"] + 1, Message: "date illisible : AAAA-MM-JJ ou JJ/MM/AAAA"})
			continue
		}
		var err1, err2 error
		c.Enrolled, err1 = strconv.Atoi(cell("inscrits"))
		c.Completed, err2 = strconv.Atoi(cell("termines"))
		if err1 != nil {
			bad = append(bad, &tabular.Error{Line: row.Line, Column: col["inscrits"] + 1, Message: "nombre d’inscrits illisible"})
			continue
		}
		if err2 != nil {
			bad = append(bad, &tabular.Error{Line: row.Line, Column: col["termines"] + 1, Message: "nombre de personnes ayant terminé illisible"})
			continue
		}
		var errs valid.Errors
		c = checkCount(c, &errs)
		for _, e := range errs {
			bad = append(bad, &tabular.Error{Line: row.Line, Message: e.Message})
		}
		counts = append(counts, c)
	}
	if len(bad) > 0 {
		return 0, &ImportError{Errors: bad}
	}
	return len(counts), s.SetMoocCounts(ctx, trainingID, counts, actor)
}

func frenchDate(s string) (date.Date, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return date.Date{}, false
	}
	pad := func(x string) string {
		if len(x) == 1 {
			return "0" + x
		}
		return x
	}
	d, err := date.Parse(parts[2] + "-" + pad(parts[1]) + "-" + pad(parts[0]))
	return d, err == nil
}
