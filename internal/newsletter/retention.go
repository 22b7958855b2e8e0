package newsletter

import (
	"context"
	"database/sql"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
)

// How long the newsletters keep personal data (GDPR storage limitation),
// applied by Retain, which `vivier serve` runs every day.
const (
	// MeasureWindow is how long after its sending a message's opens and
	// clicks are measured: later hits are refused, so a campaign's figures
	// are final after it.
	MeasureWindow = 90 * 24 * time.Hour
	// HitRetention is how long the raw hits (the client's address and user
	// agent) are kept; the figures made of them stay. It is longer than
	// MeasureWindow, so no message's engagement is ever summed again from
	// hits of which some were deleted.
	HitRetention = 395 * 24 * time.Hour // 13 months
	// PendingRetention is how long a subscription never confirmed is kept
	// (its link expired after ConfirmTTL).
	PendingRetention = 30 * 24 * time.Hour
	// InactiveRetention is how long a person who left every list is kept
	// before being erased (their address stays on the suppression list).
	InactiveRetention = 3 * 365 * 24 * time.Hour
)

// Retained is what one retention pass removed.
type Retained struct {
	Hits, Pending, Erased int64
}

// Retain applies the retention periods: raw hits older than HitRetention
// (and any hit on an erased person's message) are deleted, subscriptions
// never confirmed after PendingRetention are deleted (with their
// subscriber when nothing else refers to them), and people who left every
// list more than InactiveRetention ago are erased.
func (s *Service) Retain(ctx context.Context, actor access.Actor) (Retained, error) {
	var r Retained
	if err := staffOnly(actor); err != nil {
		return r, err
	}
	now := s.now()
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if r.Hits, err = rowsAffected(tx.ExecContext(ctx, `DELETE FROM newsletter_hits WHERE at < $1
			OR message_id IN (SELECT id FROM campaign_messages WHERE email LIKE '%`+erasedDomain+`')`, now.Add(-HitRetention))); err != nil {
			return err
		}
		if r.Pending, err = rowsAffected(tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE status = 'pending' AND consent_at < $1`,
			now.Add(-PendingRetention))); err != nil {
			return err
		}
		// A subscriber whose only subscription was never confirmed: no
		// list, no message, nothing left to prove.
		if _, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE created_at < $1
			AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.subscriber_id = subscribers.id)
			AND NOT EXISTS (SELECT 1 FROM campaign_messages m WHERE m.subscriber_id = subscribers.id)
			AND NOT EXISTS (SELECT 1 FROM newsletter_suppressions p WHERE p.email = subscribers.email)`, now.Add(-PendingRetention)); err != nil {
			return err
		}
		inactive, err := column[int64](ctx, tx, `SELECT s.id FROM subscribers s WHERE s.email NOT LIKE '%`+erasedDomain+`'
			AND EXISTS (SELECT 1 FROM subscriptions x WHERE x.subscriber_id = s.id)
			AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.subscriber_id = s.id AND (x.status <> 'unsubscribed' OR coalesce(x.unsubscribed_at, x.updated_at) >= $1))
			ORDER BY s.id`, now.Add(-InactiveRetention))
		if err != nil {
			return err
		}
		for _, id := range inactive {
			if err := eraseSubscriber(ctx, tx, id, "désabonné depuis plus de trois ans", now); err != nil {
				return err
			}
		}
		r.Erased = int64(len(inactive))
		if r.Hits+r.Pending+r.Erased == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.retention", Subject: "newsletter",
			Details: map[string]any{"hits": r.Hits, "pending": r.Pending, "erased": r.Erased}})
	})
	return r, err
}
