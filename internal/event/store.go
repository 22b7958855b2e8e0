package event

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/store"
)

const selectEvent = `SELECT e.id, e.title, e.kind, e.description, e.starts_at, e.ends_at, e.commune, e.region, e.address,
	e.online_url, e.capacity, e.deadline, e.audience, e.followup, e.attendance_share,
	coalesce(sum(CASE WHEN r.status = 'confirmed' THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN r.status = 'waitlisted' THEN 1 ELSE 0 END), 0),
	coalesce(sum(CASE WHEN r.status = 'confirmed' AND r.present THEN 1 ELSE 0 END), 0)
	FROM events e LEFT JOIN event_registrations r ON r.event_id = e.id`

const groupEvent = ` GROUP BY e.id, e.title, e.kind, e.description, e.starts_at, e.ends_at, e.commune, e.region, e.address,
	e.online_url, e.capacity, e.deadline, e.audience, e.followup, e.attendance_share`

func scanEvent(sc interface{ Scan(...any) error }) (Event, error) {
	var e Event
	err := sc.Scan(&e.ID, &e.Title, &e.Kind, &e.Description, &e.StartsAt, &e.EndsAt, &e.Commune, &e.Region, &e.Address,
		&e.OnlineURL, &e.Capacity, &e.Deadline, &e.Audience, &e.Followup, &e.AttendanceShare, &e.Confirmed, &e.Waitlisted, &e.Present)
	e.StartsAt, e.EndsAt, e.Deadline = e.StartsAt.UTC(), e.EndsAt.UTC(), e.Deadline.UTC()
	return e, err
}

func getEvent(ctx context.Context, q store.Querier, id int64) (Event, error) {
	e, err := scanEvent(q.QueryRowContext(ctx, selectEvent+` WHERE e.id = $1`+groupEvent, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Event{}, store.NotFound("event %d", id)
	}
	if err != nil {
		return Event{}, fmt.Errorf("read event %d: %w", id, err)
	}
	e.Partners, err = partnersOf(ctx, q, id)
	return e, err
}

func partnersOf(ctx context.Context, q store.Querier, id int64) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT organisation_id FROM event_partners WHERE event_id = $1 ORDER BY organisation_id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var o int64
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Filter narrows the list of events.
type Filter struct {
	Kind   Kind
	Region string    // region code
	Past   bool      // the events that ended, most recent first; otherwise those to come, soonest first
	From   time.Time // when set with To, the events that start in [From, To) (figures), Past ignored
	To     time.Time
}

// List returns the events actor may see that f selects.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) ([]Event, error) {
	where := []string{"1 = 1"}
	args := []any{}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	order := " ORDER BY e.starts_at, e.id"
	switch {
	case !f.From.IsZero():
		where = append(where, "e.starts_at >= "+arg(f.From), "e.starts_at < "+arg(f.To))
	case f.Past:
		where = append(where, "e.ends_at < "+arg(s.now()))
		order = " ORDER BY e.starts_at DESC, e.id DESC"
	default:
		where = append(where, "e.ends_at >= "+arg(s.now()))
	}
	if f.Kind != "" {
		where = append(where, "e.kind = "+arg(string(f.Kind)))
	}
	if f.Region != "" {
		where = append(where, "e.region = "+arg(f.Region))
	}
	member, err := s.isMember(ctx, actor)
	if err != nil {
		return nil, err
	}
	if !actor.Staff() && !member {
		where = append(where, "e.audience = 'public'")
	}
	rows, err := s.db.QueryContext(ctx, selectEvent+" WHERE "+strings.Join(where, " AND ")+groupEvent+order, args...)
	if err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Get returns event id if actor may see it.
func (s *Service) Get(ctx context.Context, id int64, actor access.Actor) (Event, error) {
	return s.visible(ctx, s.db, id, actor)
}

// Label names event id for staff (the counterparts of partners link to it).
func (s *Service) Label(ctx context.Context, id int64, actor access.Actor) (string, error) {
	e, err := s.staffEvent(ctx, id, actor)
	if err != nil {
		return "", err
	}
	return e.Title + " (" + e.Kind.Label() + ", " + e.When() + ")", nil
}

// Create adds an event and returns its id.
func (s *Service) Create(ctx context.Context, in Input, actor access.Actor) (int64, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	in, err := s.normalise(ctx, in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO events (title, kind, description, starts_at, ends_at, commune, region, address,
			online_url, capacity, deadline, audience, followup, attendance_share, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
			in.Title, string(in.Kind), in.Description, in.StartsAt, in.EndsAt, in.Commune, in.region, in.Address,
			in.OnlineURL, in.Capacity, in.Deadline, string(in.Audience), in.Followup, in.AttendanceShare, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create event: %w", err)
		}
		if err := setPartners(ctx, tx, id, in.Partners); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.created", Subject: fmt.Sprintf("event:%d", id)})
	})
	return id, err
}

// Update changes an event. A larger capacity promotes from the waiting
// list at once (until the deadline); a smaller one than the confirmed
// registrations is refused.
func (s *Service) Update(ctx context.Context, id int64, in Input, actor access.Actor) error {
	if _, err := s.staffEvent(ctx, id, actor); err != nil {
		return err
	}
	in, err := s.normalise(ctx, in)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := lockEvent(ctx, tx, s.db.Dialect(), id); err != nil {
			return err
		}
		var confirmed int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM event_registrations WHERE event_id = $1 AND status = 'confirmed'`, id).Scan(&confirmed); err != nil {
			return err
		}
		if in.Capacity < confirmed {
			return fieldErr("capacity", "%s inscriptions sont confirmées : la capacité ne peut pas descendre en dessous", fr.Int(int64(confirmed)))
		}
		cur, err := getEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		if unchanged(cur, in) {
			return nil // nothing to write, nothing to audit
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE events SET title = $1, kind = $2, description = $3, starts_at = $4, ends_at = $5,
			commune = $6, region = $7, address = $8, online_url = $9, capacity = $10, deadline = $11, audience = $12,
			followup = $13, attendance_share = $14, updated_at = $15 WHERE id = $16`,
			in.Title, string(in.Kind), in.Description, in.StartsAt, in.EndsAt, in.Commune, in.region, in.Address, in.OnlineURL,
			in.Capacity, in.Deadline, string(in.Audience), in.Followup, in.AttendanceShare, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return store.NotFound("event %d", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM event_partners WHERE event_id = $1`, id); err != nil {
			return err
		}
		if err := setPartners(ctx, tx, id, in.Partners); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "event.updated", Subject: fmt.Sprintf("event:%d", id)}); err != nil {
			return err
		}
		_, err = s.promote(ctx, tx, id, actor)
		return err
	})
}

func setPartners(ctx context.Context, tx *sql.Tx, id int64, partners []int64) error {
	for _, p := range partners {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_partners (event_id, organisation_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, p); err != nil {
			return err
		}
	}
	return nil
}

// lockEvent takes event id's row lock for the rest of tx: on PostgreSQL,
// FOR UPDATE makes concurrent transactions on the same event, from any
// instance, take turns; SQLite's write transactions already do.
func lockEvent(ctx context.Context, tx *sql.Tx, d store.Dialect, id int64) error {
	var got int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM events WHERE id = $1`+d.ForUpdate(), id).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return store.NotFound("event %d", id)
	}
	return err
}

// unchanged reports whether in would leave e as it is.
func unchanged(e Event, in Input) bool {
	return e.Title == in.Title && e.Kind == in.Kind && e.Description == in.Description && e.StartsAt.Equal(in.StartsAt) &&
		e.EndsAt.Equal(in.EndsAt) && e.Commune == in.Commune && e.Address == in.Address && e.OnlineURL == in.OnlineURL &&
		e.Capacity == in.Capacity && e.Deadline.Equal(in.Deadline) && e.Audience == in.Audience && e.Followup == in.Followup &&
		e.AttendanceShare == in.AttendanceShare && slices.Equal(e.Partners, sortedIDs(in.Partners))
}

func sortedIDs(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return slices.Compact(out)
}
