package audit

import (
	"context"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Service reads the audit log for the people allowed to: staff. Entries
// are written by each domain's transactions through Record, never here.
type Service struct{ db *store.DB }

// Options are what the service needs.
type Options struct{ DB *store.DB }

// New returns the service.
func New(o Options) *Service { return &Service{db: o.DB} }

func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("le journal d’audit est réservé à la coordination")
	}
	return nil
}

// List returns the entries matching f, newest first, and how many match in
// all; staff only.
func (s *Service) List(ctx context.Context, f Filter, actor access.Actor) ([]Line, int, error) {
	if err := staffOnly(actor); err != nil {
		return nil, 0, err
	}
	return List(ctx, s.db, f)
}

// Actions lists the distinct action codes in the log, for the filter menu;
// staff only.
func (s *Service) Actions(ctx context.Context, actor access.Actor) ([]string, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	return Actions(ctx, s.db)
}
