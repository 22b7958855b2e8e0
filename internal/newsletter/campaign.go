package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/mail"
	"vivier/internal/markdown"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Status is a campaign's stage.
type Status string

// The stages of a campaign: draft → scheduled → sending ⇄ paused → sent,
// or cancelled from any stage before sent.
const (
	Draft     Status = "draft"
	Scheduled Status = "scheduled"
	Sending   Status = "sending"
	Paused    Status = "paused"
	Sent      Status = "sent"
	Cancelled Status = "cancelled"
)

// Label is the stage in French.
func (s Status) Label() string {
	return map[Status]string{Draft: "brouillon", Scheduled: "programmée", Sending: "en cours d’envoi", Paused: "en pause",
		Sent: "envoyée", Cancelled: "annulée"}[s]
}

// Campaign is a newsletter issue.
type Campaign struct {
	ID                    int64
	Subject, Preheader    string
	Body                  string // Markdown with blocks
	Status                Status
	ListIDs               []int64
	ScheduledAt           *time.Time
	StartedAt, FinishedAt *time.Time
	Recipients            int // messages materialised
	Materialised          bool
	CreatedAt             time.Time
}

// CampaignInput is what a campaign's form or the API gives.
type CampaignInput struct {
	Subject, Preheader, Body string
	ListIDs                  []int64
}

func (s *Service) validateCampaign(ctx context.Context, in CampaignInput) error {
	var e valid.Errors
	validSubject(&e, in.Subject, in.Preheader)
	switch {
	case strings.TrimSpace(in.Body) == "":
		e.Add("body_markdown", "écrivez le texte de la lettre")
	case len(in.Body) > markdown.MaxSource || !cleanText(in.Body):
		e.Add("body_markdown", "le texte doit tenir en 200 Kio, sans caractère de contrôle")
	default:
		if _, err := parseBody(in.Body); err != nil {
			if list, ok := valid.As(err); ok {
				e = append(e, list...)
			} else {
				return err
			}
		}
	}
	if len(in.ListIDs) == 0 {
		e.Add("list_ids", "choisissez au moins une liste de destinataires")
	}
	for _, id := range in.ListIDs {
		if _, err := getList(ctx, s.db, id); errors.Is(err, store.ErrNotFound) {
			e.Add("list_ids", "la liste %d n’existe pas", id)
			break
		} else if err != nil {
			return err
		}
	}
	return e.Err()
}

// CreateCampaign makes a draft.
func (s *Service) CreateCampaign(ctx context.Context, in CampaignInput, actor access.Actor) (Campaign, error) {
	if err := staffOnly(actor); err != nil {
		return Campaign{}, err
	}
	in, err := s.prepare(ctx, in)
	if err != nil {
		return Campaign{}, err
	}
	now := s.now()
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var by any
		if actor.UserID != 0 {
			by = actor.UserID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (subject, preheader, body_markdown, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`, strings.TrimSpace(in.Subject), strings.TrimSpace(in.Preheader), in.Body, by, now).Scan(&id); err != nil {
			return err
		}
		if err := setLists(ctx, tx, id, in.ListIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.campaign_created", Subject: fmt.Sprintf("campaign:%d", id)})
	})
	if err != nil {
		return Campaign{}, err
	}
	return s.Campaign(ctx, id, actor)
}

func setLists(ctx context.Context, tx *sql.Tx, id int64, lists []int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_lists WHERE campaign_id = $1`, id); err != nil {
		return err
	}
	for _, l := range lists {
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_lists (campaign_id, list_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, id, l); err != nil {
			return err
		}
	}
	return nil
}

// UpdateCampaign changes a campaign not yet sending.
func (s *Service) UpdateCampaign(ctx context.Context, id int64, in CampaignInput, actor access.Actor) error {
	if err := staffOnly(actor); err != nil {
		return err
	}
	if _, err := s.Campaign(ctx, id, actor); err != nil {
		return err
	}
	in, err := s.prepare(ctx, in)
	if err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE campaigns SET subject = $2, preheader = $3, body_markdown = $4, updated_at = $5
			WHERE id = $1 AND status IN ('draft', 'scheduled')`, id, strings.TrimSpace(in.Subject), strings.TrimSpace(in.Preheader), in.Body, s.now()))
		if err != nil {
			return err
		}
		if n == 0 {
			return access.Errorf(access.Conflict, "une campagne dont l’envoi a commencé ne se modifie plus")
		}
		if err := setLists(ctx, tx, id, in.ListIDs); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.campaign_updated", Subject: fmt.Sprintf("campaign:%d", id)})
	})
}

const campaignColumns = `id, subject, preheader, body_markdown, status, scheduled_at, started_at, finished_at, recipients, materialised, created_at`

func scanCampaign(row interface{ Scan(...any) error }) (Campaign, error) {
	var c Campaign
	var sched, started, finished sql.NullTime
	err := row.Scan(&c.ID, &c.Subject, &c.Preheader, &c.Body, &c.Status, &sched, &started, &finished, &c.Recipients, &c.Materialised, &c.CreatedAt)
	c.ScheduledAt, c.StartedAt, c.FinishedAt = timePtr(sched), timePtr(started), timePtr(finished)
	return c, err
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// Campaign returns campaign id (staff only: « not found » for others).
func (s *Service) Campaign(ctx context.Context, id int64, actor access.Actor) (Campaign, error) {
	if !actor.Staff() {
		return Campaign{}, store.NotFound("campaign %d", id)
	}
	c, err := scanCampaign(s.db.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, store.NotFound("campaign %d", id)
	}
	if err != nil {
		return Campaign{}, err
	}
	c.ListIDs, err = column[int64](ctx, s.db, `SELECT list_id FROM campaign_lists WHERE campaign_id = $1 ORDER BY list_id`, id)
	return c, err
}

// Campaigns lists the campaigns, newest first.
func (s *Service) Campaigns(ctx context.Context, actor access.Actor) ([]Campaign, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+campaignColumns+` FROM campaigns ORDER BY created_at DESC, id DESC LIMIT 500`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Preview renders campaign id as an untracked recipient reads it.
func (s *Service) Preview(ctx context.Context, id int64, actor access.Actor) (htmlBody, textBody string, err error) {
	c, err := s.Campaign(ctx, id, actor)
	if err != nil {
		return "", "", err
	}
	r, err := Render(c.Subject, c.Preheader, c.Body)
	if err != nil {
		return "", "", err
	}
	h, t := r.Body(s.baseURL, Recipient{})
	return h, t, nil
}

// MaxTestAddresses bounds a test send.
const MaxTestAddresses = 10

// TestSend sends campaign id, marked as a test and without any measure, to
// the addresses given, through the outbox.
func (s *Service) TestSend(ctx context.Context, id int64, addresses []string, actor access.Actor) (int, error) {
	if err := staffOnly(actor); err != nil {
		return 0, err
	}
	c, err := s.Campaign(ctx, id, actor)
	if err != nil {
		return 0, err
	}
	var e valid.Errors
	var to []string
	for _, a := range addresses {
		if strings.TrimSpace(a) == "" {
			continue
		}
		to = append(to, checkEmail(&e, "addresses", a))
	}
	if len(to) == 0 {
		e.Add("addresses", "indiquez au moins une adresse")
	}
	if len(to) > MaxTestAddresses {
		e.Add("addresses", "au plus %d adresses pour un essai", MaxTestAddresses)
	}
	if err := e.Err(); err != nil {
		return 0, err
	}
	r, err := Render(c.Subject, c.Preheader, c.Body)
	if err != nil {
		return 0, err
	}
	h, t := r.Body(s.baseURL, Recipient{})
	now := s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, a := range to {
			if err := mail.Enqueue(ctx, tx, mail.Message{To: a, Subject: "[Essai] " + c.Subject, Text: t, HTML: h,
				Key: fmt.Sprintf("newsletter-test:%d:%s:%d", id, a, now.UnixNano())}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.campaign_test_sent", Subject: fmt.Sprintf("campaign:%d", id),
			Details: map[string]any{"addresses": len(to)}})
	})
	if err == nil && s.notify != nil {
		s.notify()
	}
	return len(to), err
}

// Send starts sending campaign id now, or at a later instant (scheduled).
func (s *Service) Send(ctx context.Context, id int64, at *time.Time, actor access.Actor) error {
	if err := staffOnly(actor); err != nil {
		return err
	}
	c, err := s.Campaign(ctx, id, actor)
	if err != nil {
		return err
	}
	if err := s.validateCampaign(ctx, CampaignInput{Subject: c.Subject, Preheader: c.Preheader, Body: c.Body, ListIDs: c.ListIDs}); err != nil {
		return err
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if at != nil && at.After(now) {
			n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE campaigns SET status = 'scheduled', scheduled_at = $2, updated_at = $3
				WHERE id = $1 AND status IN ('draft', 'scheduled')`, id, at.UTC(), now))
			if err != nil {
				return err
			}
			if n == 0 {
				return access.Errorf(access.Conflict, "cette campagne est déjà %s", c.Status.Label())
			}
			return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.campaign_scheduled", Subject: fmt.Sprintf("campaign:%d", id)})
		}
		n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE campaigns SET status = 'sending', started_at = $2, scheduled_at = NULL, updated_at = $2
			WHERE id = $1 AND status IN ('draft', 'scheduled')`, id, now))
		if err != nil {
			return err
		}
		if n == 0 {
			return access.Errorf(access.Conflict, "cette campagne est déjà %s", c.Status.Label())
		}
		if err := storeLinks(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.campaign_sent", Subject: fmt.Sprintf("campaign:%d", id)})
	})
}

// storeLinks records the links of campaign id as it starts sending: the
// click redirects lead to these addresses only.
func storeLinks(ctx context.Context, tx *sql.Tx, id int64) error {
	var subject, pre, body string
	if err := tx.QueryRowContext(ctx, `SELECT subject, preheader, body_markdown FROM campaigns WHERE id = $1`, id).Scan(&subject, &pre, &body); err != nil {
		return err
	}
	r, err := Render(subject, pre, body)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM campaign_links WHERE campaign_id = $1`, id); err != nil {
		return err
	}
	for i, u := range r.Links {
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_links (campaign_id, idx, url, trap) VALUES ($1, $2, $3, FALSE)`, id, i, u); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO campaign_links (campaign_id, idx, url, trap) VALUES ($1, $2, '/', TRUE)`, id, r.Trap)
	return err
}

// move changes a campaign from one of from to to, or says why not.
func (s *Service) move(ctx context.Context, id int64, to Status, action string, actor access.Actor, from ...Status) error {
	if err := staffOnly(actor); err != nil {
		return err
	}
	c, err := s.Campaign(ctx, id, actor)
	if err != nil {
		return err
	}
	in := make([]string, len(from))
	args := []any{id, string(to), s.now()}
	for i, f := range from {
		in[i] = fmt.Sprintf("$%d", i+4)
		args = append(args, string(f))
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		finished := ""
		if to == Cancelled {
			finished = ", finished_at = $3"
		}
		n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE campaigns SET status = $2, updated_at = $3`+finished+`
			WHERE id = $1 AND status IN (`+strings.Join(in, ", ")+`)`, args...))
		if err != nil {
			return err
		}
		if n == 0 {
			return access.Errorf(access.Conflict, "impossible : la campagne est %s", c.Status.Label())
		}
		if to == Cancelled {
			if _, err := tx.ExecContext(ctx, `UPDATE campaign_messages SET status = 'cancelled' WHERE campaign_id = $1 AND status = 'queued'`, id); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.campaign_" + action, Subject: fmt.Sprintf("campaign:%d", id)})
	})
}

// Pause stops a campaign's sending after the messages in flight.
func (s *Service) Pause(ctx context.Context, id int64, actor access.Actor) error {
	return s.move(ctx, id, Paused, "paused", actor, Sending)
}

// Resume goes on sending a paused campaign.
func (s *Service) Resume(ctx context.Context, id int64, actor access.Actor) error {
	return s.move(ctx, id, Sending, "resumed", actor, Paused)
}

// Cancel stops a campaign for good: its messages not yet sent never are.
func (s *Service) Cancel(ctx context.Context, id int64, actor access.Actor) error {
	return s.move(ctx, id, Cancelled, "cancelled", actor, Draft, Scheduled, Sending, Paused)
}

// renderCache keeps each sending campaign rendered once per process.
type renderCache struct {
	mu sync.Mutex
	m  map[int64]*Rendered
}

func (rc *renderCache) get(ctx context.Context, q store.Querier, id int64) (*Rendered, error) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if r, ok := rc.m[id]; ok {
		return r, nil
	}
	var subject, pre, body string
	if err := q.QueryRowContext(ctx, `SELECT subject, preheader, body_markdown FROM campaigns WHERE id = $1`, id).Scan(&subject, &pre, &body); err != nil {
		return nil, err
	}
	r, err := Render(subject, pre, body)
	if err != nil {
		return nil, err
	}
	if rc.m == nil {
		rc.m = map[int64]*Rendered{}
	}
	rc.m[id] = r
	return r, nil
}
