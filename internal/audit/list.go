package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"vivier/internal/store"
)

// Filter selects entries for the coordinators' audit page. Zero fields do
// not filter.
type Filter struct {
	UserID int64     // entries where this person is the actor or the subject
	Name   string    // entries whose actor's or subject's name holds this text (case ignored)
	Action string    // exact action code, or a prefix ending in "." ("account.")
	From   time.Time // at or after
	To     time.Time // before
	Limit  int       // page size (default 50, at most 500)
	Offset int
}

// Line is an entry with the names of the people it mentions, as the audit
// page shows it.
type Line struct {
	Entry
	ActorName    string // "" for anonymous or the system
	SubjectName  string
	SubjectTitle string // the name of the record the entry is about ("" when unknown or gone)
}

// List returns the entries matching f, newest first, and how many match in
// all (for pagination).
func List(ctx context.Context, q store.Querier, f Filter) ([]Line, int, error) {
	where, args := f.where()
	var total int
	// The joins name the people; the count needs them only to filter by name.
	joins := ""
	if f.Name != "" {
		joins = " LEFT JOIN users actor ON actor.id = a.actor_id LEFT JOIN users subj ON subj.id = a.subject_user_id"
	}
	if err := q.QueryRowContext(ctx, "SELECT count(*) FROM audit_log a"+joins+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	args = append(args, limit, max(f.Offset, 0))
	rows, err := q.QueryContext(ctx, `
		SELECT a.id, a.at, coalesce(a.actor_id, 0), a.ip, a.action, coalesce(a.subject_user_id, 0), a.subject, a.details,
		       coalesce(actor.name, ''), coalesce(subj.name, '')
		FROM audit_log a
		LEFT JOIN users actor ON actor.id = a.actor_id
		LEFT JOIN users subj ON subj.id = a.subject_user_id`+where+fmt.Sprintf(`
		ORDER BY a.at DESC, a.id DESC LIMIT $%d OFFSET $%d`, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list audit entries: %w", err)
	}
	defer rows.Close()
	var out []Line
	for rows.Next() {
		var l Line
		var details string
		if err := rows.Scan(&l.ID, &l.At, &l.Actor.UserID, &l.Actor.IP, &l.Action, &l.SubjectUserID, &l.Subject, &details,
			&l.ActorName, &l.SubjectName); err != nil {
			return nil, 0, err
		}
		l.At = l.At.UTC()
		if err := json.Unmarshal([]byte(details), &l.Details); err != nil {
			return nil, 0, fmt.Errorf("audit entry %d: details: %w", l.ID, err)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	rows.Close()
	return out, total, nameSubjects(ctx, q, out)
}

// where builds the WHERE clause of f, with its arguments.
func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if f.UserID != 0 {
		args = append(args, f.UserID)
		conds = append(conds, fmt.Sprintf("(a.actor_id = $%d OR a.subject_user_id = $%d)", len(args), len(args)))
	}
	if n := strings.ToLower(strings.TrimSpace(f.Name)); n != "" {
		args = append(args, "%"+n+"%")
		conds = append(conds, fmt.Sprintf("(lower(coalesce(actor.name, '')) LIKE $%d OR lower(coalesce(subj.name, '')) LIKE $%d)", len(args), len(args)))
	}
	if a := strings.TrimSpace(f.Action); a != "" {
		if strings.HasSuffix(a, ".") {
			add("a.action LIKE $%d", a+"%")
		} else {
			add("a.action = $%d", a)
		}
	}
	if !f.From.IsZero() {
		add("a.at >= $%d", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("a.at < $%d", f.To.UTC())
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Actions lists the distinct action codes in the log, for the filter menu.
func Actions(ctx context.Context, q store.Querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT DISTINCT action FROM audit_log ORDER BY action")
	if err != nil {
		return nil, fmt.Errorf("list audit actions: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
