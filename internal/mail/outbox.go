package mail

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"vivier/internal/store"
)

// Status is where a message stands in the outbox.
type Status string

// The statuses of an outbox message.
const (
	Pending Status = "pending" // waiting for its first or next attempt
	Sent    Status = "sent"    // accepted by the SMTP server (or logged)
	Failed  Status = "failed"  // given up after MaxAttempts; see LastError
)

// Entry is one outbox message as administrators see it.
type Entry struct {
	ID            int64
	Message       Message
	Status        Status
	Attempts      int
	LastError     string
	NextAttemptAt time.Time
	CreatedAt     time.Time
	SentAt        *time.Time
}

const entryColumns = `id, coalesce(dedup_key, ''), to_address, subject, text_body, html_body,
	status, attempts, last_error, next_attempt_at, created_at, sent_at, attachments`

func scanEntry(row interface{ Scan(...any) error }) (Entry, error) {
	var e Entry
	var sent sql.NullTime
	var files string
	err := row.Scan(&e.ID, &e.Message.Key, &e.Message.To, &e.Message.Subject, &e.Message.Text, &e.Message.HTML,
		&e.Status, &e.Attempts, &e.LastError, &e.NextAttemptAt, &e.CreatedAt, &sent, &files)
	if err != nil {
		return e, err
	}
	if e.Message.Attachments, err = decodeAttachments(files); err != nil {
		return e, err
	}
	e.NextAttemptAt, e.CreatedAt = e.NextAttemptAt.UTC(), e.CreatedAt.UTC()
	if sent.Valid {
		t := sent.Time.UTC()
		e.SentAt = &t
	}
	return e, nil
}

// List returns the most recent outbox messages, newest first, at most limit
// of them (all when limit ≤ 0), optionally only those with status.
func List(ctx context.Context, q store.Querier, status Status, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 1<<31 - 1
	}
	rows, err := q.QueryContext(ctx, `
		SELECT `+entryColumns+` FROM outbox
		WHERE ($1 = '' OR status = $1)
		ORDER BY id DESC
		LIMIT $2`, string(status), limit)
	if err != nil {
		return nil, fmt.Errorf("list outbox: %w", err)
	}
	defer rows.Close()
	var list []Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("list outbox: %w", err)
		}
		list = append(list, e)
	}
	return list, rows.Err()
}

// Get returns one outbox message, or an error wrapping store.ErrNotFound.
func Get(ctx context.Context, q store.Querier, id int64) (Entry, error) {
	e, err := scanEntry(q.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM outbox WHERE id = $1`, id))
	if err == sql.ErrNoRows {
		return e, store.NotFound("email %d", id)
	}
	if err != nil {
		return e, fmt.Errorf("read email %d: %w", id, err)
	}
	return e, nil
}

// Counts returns how many messages the outbox holds in each status.
func Counts(ctx context.Context, q store.Querier) (map[Status]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT status, count(*) FROM outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count outbox: %w", err)
	}
	defer rows.Close()
	counts := map[Status]int{}
	for rows.Next() {
		var s Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		counts[s] = n
	}
	return counts, rows.Err()
}
