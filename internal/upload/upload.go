// Package upload keeps the files that wait for a confirmation: an import
// is checked and previewed without writing anything, and the clean file is
// kept in the pending_uploads table under a random token until the person
// who sent it confirms (or it expires), so that the confirmation may reach
// any instance sharing the database. It owns that table.
package upload

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"vivier/internal/access"
	"vivier/internal/store"
)

// DefaultTTL is how long a previewed file waits for its confirmation.
const DefaultTTL = time.Hour

// Service keeps and hands back pending files.
type Service struct {
	db  *store.DB
	ttl time.Duration
	now func() time.Time
}

// Options are what the service needs.
type Options struct {
	DB  *store.DB
	TTL time.Duration // DefaultTTL when zero
	Now func() time.Time
}

// New returns the service.
func New(o Options) *Service {
	s := &Service{db: o.DB, ttl: o.TTL, now: o.Now}
	if s.ttl <= 0 {
		s.ttl = DefaultTTL
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Keep stores data, a file of kind ("experts", "needs"…) named name that
// actor previewed, and returns the token that takes it back; the expired
// files of anyone are deleted on the way.
func (s *Service) Keep(ctx context.Context, kind, name string, data []byte, actor access.Actor) (string, error) {
	if !actor.SignedIn() {
		return "", access.Deny("seule une personne connectée dépose un fichier à importer")
	}
	var raw [24]byte
	rand.Read(raw[:])
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now().UTC()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM pending_uploads WHERE expires_at < $1`, now); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO pending_uploads (id, kind, user_id, filename, content, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, token, kind, actor.UserID, name, data, now, now.Add(s.ttl))
		return err
	})
	return token, err
}

// Take removes and returns the pending file of token if it is actor's, of
// kind, and not expired; « not found » otherwise (used, expired, another's).
func (s *Service) Take(ctx context.Context, token, kind string, actor access.Actor) (name string, data []byte, err error) {
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM pending_uploads WHERE id = $1 AND kind = $2 AND user_id = $3 AND expires_at >= $4
			RETURNING filename, content`, token, kind, actor.UserID, s.now().UTC()).Scan(&name, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("pending upload")
		}
		return err
	})
	return name, data, err
}
