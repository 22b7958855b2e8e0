package expert

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/search"
	"vivier/internal/store"
)

// DefaultRetention is how long an archived expert's identity is kept before
// AnonymiseExpired (a job of the system) anonymises it: 24 months.
const DefaultRetention = 24 * 30 * 24 * time.Hour

// anonymousDomain ends the placeholder emails of anonymised experts; the
// .invalid top-level domain can never receive mail (RFC 2606).
const anonymousDomain = "@anonyme.invalid"

// Privacy carries the expert pool's duties towards a person with an
// account: export what is held about them, erase it. The account package
// calls it through its own small interface.
type Privacy struct{}

// PersonData is what ExportPerson returns for a person who is an expert.
type PersonData struct {
	Expert  Expert         `json:"expert"`
	History []StatusChange `json:"status_history"`
	CV      *CVInfo        `json:"cv,omitempty"`
}

// CVInfo describes a stored CV without its content (the person downloads
// the file itself from their profile).
type CVInfo struct {
	Filename   string    `json:"filename"`
	Size       int       `json:"size"`
	UploadedAt time.Time `json:"uploaded_at"`
}

// ExportPerson returns, under the section name "expert", the expert profile
// linked to the account userID with its history; data is nil when the
// account has no expert profile.
func (Privacy) ExportPerson(ctx context.Context, q store.Querier, userID int64) (section string, data any, err error) {
	e, err := getOne(ctx, q, `e.user_id = $1`, userID)
	if errors.Is(err, store.ErrNotFound) {
		return "expert", nil, nil
	}
	if err != nil {
		return "expert", nil, err
	}
	d := PersonData{Expert: e}
	if d.History, err = history(ctx, q, e.ID); err != nil {
		return "expert", nil, err
	}
	var cv CVInfo
	err = q.QueryRowContext(ctx, `SELECT filename, size, uploaded_at FROM expert_cvs WHERE expert_id = $1`, e.ID).
		Scan(&cv.Filename, &cv.Size, &cv.UploadedAt)
	switch {
	case err == nil:
		cv.UploadedAt = cv.UploadedAt.UTC()
		d.CV = &cv
	case !errors.Is(err, sql.ErrNoRows):
		return "expert", nil, err
	}
	return "expert", d, nil
}

// ErasePerson anonymises the expert profile linked to the account userID,
// if any, and unlinks it, within the account's erasure transaction.
func (Privacy) ErasePerson(ctx context.Context, tx *sql.Tx, userID int64) error {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM experts WHERE user_id = $1`, userID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE experts SET user_id = NULL WHERE id = $1`, id); err != nil {
		return err
	}
	return Anonymise(ctx, tx, id, access.Actor{UserID: userID})
}

// Anonymise removes the identity of expert id while keeping what the
// statistics need (skills, levels, rate, experience, zones, availability,
// missions): the name becomes "Expert anonymisé n°ID", the email a unique
// placeholder that cannot receive mail, and the phone, employer, bio, home
// commune and CV are cleared. An expert still in the pool is archived.
func Anonymise(ctx context.Context, tx *sql.Tx, id int64, actor access.Actor) error {
	now := time.Now().UTC()
	var status Status
	if err := tx.QueryRowContext(ctx, `SELECT status FROM experts WHERE id = $1`, id).Scan(&status); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("expert %d", id)
		}
		return err
	}
	name := fmt.Sprintf("Expert anonymisé n°%d", id)
	_, err := tx.ExecContext(ctx, `UPDATE experts SET first_name = '', last_name = $1, email = $2, phone = '',
		employer_siren = '', commune = '', home_departement = '', bio = '', sort_name = $3, status = 'archived',
		archived_at = coalesce(archived_at, $4), consent_at = NULL, retain_until = NULL, updated_at = $4 WHERE id = $5`,
		name, fmt.Sprintf("expert-%d%s", id, anonymousDomain), sortName(name, ""), now, id)
	if err != nil {
		return fmt.Errorf("anonymise expert %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM expert_cvs WHERE expert_id = $1`, id); err != nil {
		return err
	}
	if status != Archived {
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_status_history (expert_id, from_status, to_status, comment, actor_id, actor, created_at)
			VALUES ($1, $2, 'archived', 'anonymisation', NULL, 'système', $3)`, id, string(status), now); err != nil {
			return err
		}
	}
	if err := reindexSkillsOnly(ctx, tx, id, name); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "expert.anonymise", Subject: subject(id)})
}

// reindexSkillsOnly replaces the search document of an anonymised expert by
// its placeholder name and skill labels.
func reindexSkillsOnly(ctx context.Context, tx *sql.Tx, id int64, name string) error {
	rows, err := tx.QueryContext(ctx, `SELECT s.label FROM expert_skills k JOIN skills s ON s.code = k.skill_code WHERE k.expert_id = $1`, id)
	if err != nil {
		return err
	}
	parts := []string{name}
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			rows.Close()
			return err
		}
		parts = append(parts, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE expert_search SET tokens = $1 WHERE expert_id = $2`, search.Document(parts...), id)
	return err
}

// AnonymiseExpired anonymises the archived experts without an account whose
// archiving is older than retention (DefaultRetention for the daily job) at
// now, each in its own transaction, and returns how many it anonymised.
// Experts with an account are left to the account's own erasure.
func (s *Service) AnonymiseExpired(ctx context.Context, now time.Time, retention time.Duration, actor access.Actor) (int, error) {
	if !actor.IsSystem() {
		return 0, access.Deny("l’anonymisation après la durée de conservation est une tâche de Vivier")
	}
	db := s.db
	rows, err := db.QueryContext(ctx, `SELECT id FROM experts WHERE status = 'archived' AND archived_at < $1
		AND user_id IS NULL AND email NOT LIKE $2 ORDER BY id`, now.Add(-retention).UTC(), "%"+anonymousDomain)
	if err != nil {
		return 0, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for i, id := range ids {
		if err := db.Tx(ctx, func(tx *sql.Tx) error { return Anonymise(ctx, tx, id, access.System) }); err != nil {
			return i, err
		}
	}
	return len(ids), nil
}

// RecordConsent notes that expert id agreed at to be kept in the pool, and
// keeps their data until two years after that day unless they consent again.
func (s *Service) RecordConsent(ctx context.Context, id int64, at time.Time, actor access.Actor) error {
	if _, err := s.Get(ctx, id, actor); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE experts SET consent_at = $1, retain_until = $2, updated_at = $3 WHERE id = $4`,
			at.UTC(), date.Of(at.AddDate(2, 0, 0)), s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("expert %d", id)
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "expert.consent", Subject: subject(id)})
	})
}

func history(ctx context.Context, q store.Querier, id int64) ([]StatusChange, error) {
	return audit.StatusHistory[Status](ctx, q, "expert_status_history", "expert_id", id)
}
