package mail

import (
	"context"

	"vivier/internal/access"
)

func adminOnly(actor access.Actor) error {
	if !actor.Admin() {
		return access.Deny("la boîte d’envoi est réservée aux administrateurs")
	}
	return nil
}

// Outbox returns the most recent messages of the outbox, newest first, at
// most limit of them, optionally only those with status; administrators
// only (messages hold people's addresses and links).
func (s *Sender) Outbox(ctx context.Context, status Status, limit int, actor access.Actor) ([]Entry, error) {
	if err := adminOnly(actor); err != nil {
		return nil, err
	}
	return List(ctx, s.db, status, limit)
}

// Counts returns how many messages the outbox holds in each status;
// administrators only.
func (s *Sender) Counts(ctx context.Context, actor access.Actor) (map[Status]int, error) {
	if err := adminOnly(actor); err != nil {
		return nil, err
	}
	return Counts(ctx, s.db)
}
