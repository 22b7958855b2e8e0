package report

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Snapshot is one publication of the report of a year.
type Snapshot struct {
	Year        int       `json:"year"`
	Version     int       `json:"version"`
	Formulas    string    `json:"formulas_version"`
	Reason      string    `json:"reason,omitempty"` // why it was published again
	PublishedBy string    `json:"-"`                // the name of who published it (staff only)
	PublishedAt time.Time `json:"published_at"`
}

// Drift is a figure whose live value moved since the report was published.
type Drift struct {
	Key, Label      string
	Published, Live string // the values as a reader reads them
}

// View is the report of a year as an actor reads it.
type View struct {
	Report Report
	// Snapshot is the published version shown; nil for a live draft.
	Snapshot *Snapshot
	// Versions are every publication, latest first (staff only).
	Versions []Snapshot
	// Drift lists the figures whose live value moved since the
	// publication (staff only; empty when none moved).
	Drift []Drift
	// Public is the view of someone who is not staff: records of figures
	// that are not public left out.
	Public bool
}

// Published reports whether the view shows a published report.
func (v View) Published() bool { return v.Snapshot != nil }

// checkYear refuses a year no report can be about: before 2000 or after
// next year.
func (s *Service) checkYear(year int) error {
	if year < 2000 || year > s.now().Year()+1 {
		return store.NotFound("report of %d", year)
	}
	return nil
}

// Get returns the report of year as actor reads it: for staff the
// published snapshot with the live figures that moved since, or the live
// draft when it was never published; for anyone else the published
// snapshot only (« not found » before), without the records of figures
// that are not public.
func (s *Service) Get(ctx context.Context, year int, actor access.Actor) (View, error) {
	if err := s.checkYear(year); err != nil {
		return View{}, err
	}
	snap, rep, err := s.latest(ctx, year)
	if err != nil {
		return View{}, err
	}
	if !actor.Staff() {
		if snap == nil {
			return View{}, store.NotFound("report of %d is not published", year)
		}
		return View{Report: public(rep), Snapshot: snap, Public: true}, nil
	}
	live, err := s.compute(ctx, year)
	if err != nil {
		return View{}, err
	}
	if snap == nil {
		return View{Report: live}, nil
	}
	v := View{Report: rep, Snapshot: snap, Drift: drift(rep, live)}
	v.Versions, err = s.versions(ctx, year)
	return v, err
}

// Live computes the report of year from the records now, published or not;
// staff only (the figures that the snapshot froze are Get's).
func (s *Service) Live(ctx context.Context, year int, actor access.Actor) (Report, error) {
	if err := staffOnly(actor); err != nil {
		return Report{}, err
	}
	if err := s.checkYear(year); err != nil {
		return Report{}, err
	}
	return s.compute(ctx, year)
}

// latest reads the last snapshot of year; nil when never published.
func (s *Service) latest(ctx context.Context, year int) (*Snapshot, Report, error) {
	var snap Snapshot
	var content string
	var by sql.NullString
	err := s.db.QueryRowContext(ctx, `SELECT s.year, s.version, s.formulas, s.reason, s.published_at, s.content, u.name
		FROM report_snapshots s LEFT JOIN users u ON u.id = s.published_by WHERE s.year = $1 ORDER BY s.version DESC LIMIT 1`, year).
		Scan(&snap.Year, &snap.Version, &snap.Formulas, &snap.Reason, &snap.PublishedAt, &content, &by)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Report{}, nil
	}
	if err != nil {
		return nil, Report{}, err
	}
	snap.PublishedAt, snap.PublishedBy = snap.PublishedAt.UTC(), by.String
	var rep Report
	if err := json.Unmarshal([]byte(content), &rep); err != nil {
		return nil, Report{}, fmt.Errorf("snapshot %d v%d: %w", year, snap.Version, err)
	}
	return &snap, rep, nil
}

func (s *Service) versions(ctx context.Context, year int) ([]Snapshot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.year, s.version, s.formulas, s.reason, s.published_at, coalesce(u.name, '')
		FROM report_snapshots s LEFT JOIN users u ON u.id = s.published_by WHERE s.year = $1 ORDER BY s.version DESC`, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var sn Snapshot
		if err := rows.Scan(&sn.Year, &sn.Version, &sn.Formulas, &sn.Reason, &sn.PublishedAt, &sn.PublishedBy); err != nil {
			return nil, err
		}
		sn.PublishedAt = sn.PublishedAt.UTC()
		out = append(out, sn)
	}
	return out, rows.Err()
}

// public returns r without the records of the figures that are not
// public: what a snapshot keeps and what a visitor reads.
func public(r Report) Report {
	out := r
	out.Sections = make([]Section, len(r.Sections))
	for i, sec := range r.Sections {
		sec.Figures = append([]Figure(nil), sec.Figures...)
		for j := range sec.Figures {
			if !sec.Figures[j].Public {
				sec.Figures[j].Records = nil
			}
		}
		out.Sections[i] = sec
	}
	return out
}

// drift lists the figures of the published report whose live value differs.
func drift(published, live Report) []Drift {
	var out []Drift
	seen := map[string]bool{}
	for _, sec := range published.Sections {
		for _, f := range sec.Figures {
			seen[f.Key] = true
			l, ok := live.Figure(f.Key)
			switch {
			case !ok:
				out = append(out, Drift{Key: f.Key, Label: f.Label, Published: f.ValueText(), Live: "disparu"})
			case l.Tracked != f.Tracked || l.HasValue != f.HasValue || l.HasValue && l.Value != f.Value:
				out = append(out, Drift{Key: f.Key, Label: f.Label, Published: f.ValueText(), Live: l.ValueText()})
			}
		}
	}
	for _, sec := range live.Sections {
		for _, f := range sec.Figures {
			if !seen[f.Key] && f.Tracked {
				out = append(out, Drift{Key: f.Key, Label: f.Label, Published: "absent", Live: f.ValueText()})
			}
		}
	}
	return out
}

// Publish freezes the report of year as it is computed now; staff only.
// A year already published is a conflict: Republish says why it changes.
func (s *Service) Publish(ctx context.Context, year int, actor access.Actor) (Snapshot, error) {
	return s.publish(ctx, year, "", false, actor)
}

// Republish publishes the report of year again, as it is computed now, for
// reason; staff only. The earlier versions stay, the new one is shown.
func (s *Service) Republish(ctx context.Context, year int, reason string, actor access.Actor) (Snapshot, error) {
	return s.publish(ctx, year, reason, true, actor)
}

func (s *Service) publish(ctx context.Context, year int, reason string, again bool, actor access.Actor) (Snapshot, error) {
	if err := staffOnly(actor); err != nil {
		return Snapshot{}, err
	}
	var errs valid.Errors
	if year < 2000 || year > date.Of(s.now().In(date.Paris())).Year {
		errs.Add("year", "on publie le rapport d’une année commencée, entre 2000 et cette année")
	}
	reason = strings.TrimSpace(reason)
	if errs.Text("reason", reason, 1000, true) && again && reason == "" {
		errs.Add("reason", "dites pourquoi le rapport est publié de nouveau")
	}
	if err := errs.Err(); err != nil {
		return Snapshot{}, err
	}
	rep, err := s.compute(ctx, year)
	if err != nil {
		return Snapshot{}, err
	}
	content, err := json.Marshal(public(rep))
	if err != nil {
		return Snapshot{}, err
	}
	snap := Snapshot{Year: year, Formulas: FormulasVersion, Reason: reason, PublishedAt: s.now()}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM report_snapshots WHERE year = $1`, year).Scan(&snap.Version); err != nil {
			return err
		}
		switch {
		case snap.Version > 0 && !again:
			return access.Errorf(access.Conflict, "le rapport %d est déjà publié : publiez-le de nouveau en disant pourquoi", year)
		case snap.Version == 0 && again:
			return access.Errorf(access.Conflict, "le rapport %d n’est pas encore publié", year)
		}
		snap.Version++
		if _, err := tx.ExecContext(ctx, `INSERT INTO report_snapshots (year, version, formulas, content, reason, published_by, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, year, snap.Version, snap.Formulas, string(content), reason, nullID(actor.UserID), snap.PublishedAt); err != nil {
			return err
		}
		action := "report.publish"
		if again {
			action = "report.republish"
		}
		return audit.Record(ctx, tx, audit.Entry{At: snap.PublishedAt, Actor: actor, Action: action, Subject: fmt.Sprintf("report:%d", year),
			Details: map[string]any{"version": snap.Version, "formulas": snap.Formulas}})
	})
	if store.IsUniqueViolation(err) {
		return Snapshot{}, access.Errorf(access.Conflict, "le rapport %d vient d’être publié par quelqu’un d’autre : rechargez la page", year)
	}
	return snap, err
}

// Records returns figure key of year and the records that make it, as
// actor may read them: staff the records of the figure as shown (the
// snapshot's for a public figure of a published report, else the live
// ones: live is then true); anyone else only a public figure of a published
// report (« not found » otherwise).
func (s *Service) Records(ctx context.Context, year int, key string, actor access.Actor) (fig Figure, live bool, err error) {
	v, err := s.Get(ctx, year, actor)
	if err != nil {
		return Figure{}, false, err
	}
	f, ok := v.Report.Figure(key)
	if !ok || !f.Tracked {
		return Figure{}, false, store.NotFound("figure %s", key)
	}
	if v.Public {
		if !f.Public {
			return Figure{}, false, store.NotFound("figure %s", key)
		}
		return f, false, nil
	}
	if v.Published() && f.Public {
		return f, false, nil
	}
	cur, err := s.compute(ctx, year)
	if err != nil {
		return Figure{}, false, err
	}
	l, ok := cur.Figure(key)
	if !ok {
		return Figure{}, false, store.NotFound("figure %s", key)
	}
	return l, v.Published(), nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Published lists the last publication of every published year, latest
// year first. Anyone may read it: a published report is public.
func (s *Service) Published(ctx context.Context) ([]Snapshot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.year, s.version, s.formulas, s.reason, s.published_at FROM report_snapshots s
		WHERE s.version = (SELECT max(x.version) FROM report_snapshots x WHERE x.year = s.year) ORDER BY s.year DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		var sn Snapshot
		if err := rows.Scan(&sn.Year, &sn.Version, &sn.Formulas, &sn.Reason, &sn.PublishedAt); err != nil {
			return nil, err
		}
		sn.PublishedAt = sn.PublishedAt.UTC()
		out = append(out, sn)
	}
	return out, rows.Err()
}
