package account

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
)

// PersonalData is a package that holds data about a person with an account
// (the expert profile, proposals, missions…). Export and erasure of a person
// go through every one of them, so that nothing is forgotten; the wiring in
// internal/app lists them.
type PersonalData interface {
	// ExportPerson returns what the package holds about the user, ready for
	// JSON, under a section name such as "expert_profile"; nil data when it
	// holds nothing.
	ExportPerson(ctx context.Context, q store.Querier, userID int64) (section string, data any, err error)
	// ErasePerson anonymises, inside tx, what the package holds about the
	// user. Figures (days, amounts, review scores) stay; identity goes.
	ErasePerson(ctx context.Context, tx *sql.Tx, userID int64) error
}

// Export returns everything Vivier holds about actor, as the JSON document
// they download (GDPR right of access and portability).
func (s *Service) Export(ctx context.Context, actor access.Actor) (map[string]any, error) {
	if !actor.SignedIn() {
		return nil, ErrForbidden
	}
	userID := actor.UserID
	u, err := Get(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	doc := map[string]any{
		"generated_at": s.now().Format(time.RFC3339),
		"account": map[string]any{
			"id": u.ID, "email": u.Email, "name": u.Name, "role": u.Role, "status": u.Status,
			"organisation_id": u.OrganisationID, "created_at": u.CreatedAt, "last_login_at": u.LastLoginAt,
			"has_password": u.HasPassword, "second_factor": u.TOTPEnabled,
		},
	}
	sessions, err := s.ListSessions(ctx, userID)
	if err != nil {
		return nil, err
	}
	var sess []map[string]any
	for _, x := range sessions {
		sess = append(sess, map[string]any{"ip": x.IP, "user_agent": x.UserAgent, "created_at": x.CreatedAt, "last_seen_at": x.LastSeenAt})
	}
	doc["sessions"] = sess
	tokens, err := s.ListTokens(ctx, userID)
	if err != nil {
		return nil, err
	}
	doc["api_tokens"] = tokens
	if doc["consents"], err = s.Consents(ctx, actor); err != nil {
		return nil, err
	}
	lines, _, err := audit.List(ctx, s.db, audit.Filter{UserID: userID, Limit: 500})
	if err != nil {
		return nil, err
	}
	var events []map[string]any
	for _, l := range lines {
		events = append(events, map[string]any{"at": l.At, "action": l.Action, "ip": l.Actor.IP, "details": l.Details})
	}
	doc["audit_log"] = events
	for _, p := range s.personal {
		section, data, err := p.ExportPerson(ctx, s.db, userID)
		if err != nil {
			return nil, fmt.Errorf("export %s: %w", section, err)
		}
		if data != nil {
			doc[section] = data
		}
	}
	err = s.Record(ctx, actor, "account.exported", userID, nil)
	return doc, err
}

// Erase anonymises a person at their request or a coordinator's: the
// account can no longer log in, its name and email are replaced, sessions,
// tokens, links, second factor and identities are deleted, and every
// PersonalData anonymises its part. Their reviews and missions keep their
// figures, not their identity. The audit log, which names people only by
// id, then shows "personne effacée".
func (s *Service) Erase(ctx context.Context, userID int64, actor access.Actor) error {
	if !actor.Staff() {
		return ErrForbidden
	}
	if actor.UserID == userID {
		return fieldErr("user", "Vous ne pouvez pas effacer votre propre compte : demandez-le à un autre coordinateur.")
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		u, err := Get(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Role == access.Admin && !actor.Admin() {
			return ErrForbidden
		}
		if u.Status == Erased {
			return nil
		}
		// The other packages first: some find the person's records by the
		// account's address (a registration needs no account).
		for _, p := range s.personal {
			if err := p.ErasePerson(ctx, tx, userID); err != nil {
				return err
			}
		}
		if err := eraseAccount(ctx, tx, userID, s.now()); err != nil {
			return err
		}
		return record(ctx, tx, actor, "account.erased", userID, nil)
	})
}

func eraseAccount(ctx context.Context, tx *sql.Tx, userID int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET email = $1, name = 'Personne effacée', status = 'erased',
		password_hash = NULL, totp_secret = NULL, totp_enabled_at = NULL, last_login_at = NULL, updated_at = $2 WHERE id = $3`,
		fmt.Sprintf("efface-%d@invalid", userID), now, userID)
	if err != nil {
		return fmt.Errorf("erase account: %w", err)
	}
	for _, table := range []string{"sessions", "api_tokens", "login_links", "recovery_codes", "oidc_identities"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table+" WHERE user_id = $1", userID); err != nil {
			return fmt.Errorf("erase %s: %w", table, err)
		}
	}
	_, err = tx.ExecContext(ctx, "UPDATE consents SET ip = '', withdrawn_at = coalesce(withdrawn_at, $1) WHERE user_id = $2", now, userID)
	return err
}
