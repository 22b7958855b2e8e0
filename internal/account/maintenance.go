package account

import "context"

// Purge deletes what has expired: sessions, login throttle counters, used
// or expired links and abandoned OIDC logins. The daily maintenance job
// calls it; nothing here is personal data worth keeping.
func (s *Service) Purge(ctx context.Context) error {
	now := s.now()
	if _, err := s.PurgeSessions(ctx); err != nil {
		return err
	}
	if err := s.throttle.Purge(ctx, s.db, now); err != nil {
		return err
	}
	if _, err := s.db.ExecContext(ctx, "DELETE FROM login_links WHERE expires_at < $1", now.Add(-24*s.links.Invitation)); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, "DELETE FROM oidc_states WHERE expires_at < $1", now)
	return err
}
