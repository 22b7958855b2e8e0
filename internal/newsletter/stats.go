package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/store"
)

// Definitions of the figures, shown on the pages and given to the yearly
// activity report with them.
const (
	DefOpenRate      = "Taux d’ouverture = destinataires ouvreurs humains uniques ÷ destinataires mesurés et délivrés. Un clic humain compte comme ouverture (les images sont souvent bloquées) ; les chargements par des machines (protection de la vie privée d’Apple Mail, analyseurs de liens, automates) ne comptent pas."
	DefClickRate     = "Taux de clic = destinataires cliqueurs humains uniques ÷ destinataires mesurés et délivrés."
	DefNaiveOpenRate = "Taux d’ouverture naïf = destinataires dont l’image de mesure a été chargée au moins une fois, par qui que ce soit ÷ destinataires mesurés et délivrés : ce que comptent les outils qui ne distinguent pas les machines."
	DefTracked       = "Destinataires mesurés : ceux qui ont accepté la mesure des ouvertures et des clics ; les autres ne reçoivent ni image de mesure ni lien suivi et ne figurent pas au dénominateur des taux."
)

// Counts are the figures of one campaign, or of several added up.
type Counts struct {
	Recipients      int // messages to send (cancelled ones left out)
	Delivered       int // accepted by the relay
	Bounced         int // hard bounces
	Failed          int // refused for their content or by policy
	Tracked         int // delivered to recipients who accepted the measure
	HumanOpeners    int // unique human openers (a human click counts)
	MachineOpeners  int // unique openers whose pixel only machines fetched
	PixelOpeners    int // unique recipients whose pixel anyone fetched (naive)
	HumanClickers   int // unique human clickers
	MachineClickers int // unique recipients whose links only machines fetched
	MachineClicks   int // machines' fetches of links
	Unsubscribed    int
	Complaints      int
}

// rate is n ÷ d, 0 when d is 0.
func rate(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// OpenRate is human openers ÷ tracked delivered.
func (c Counts) OpenRate() float64 { return rate(c.HumanOpeners, c.Tracked) }

// ClickRate is human clickers ÷ tracked delivered.
func (c Counts) ClickRate() float64 { return rate(c.HumanClickers, c.Tracked) }

// NaiveOpenRate counts every pixel fetch as an open.
func (c Counts) NaiveOpenRate() float64 { return rate(c.PixelOpeners, c.Tracked) }

// MachineShare is the part of the naive openers that only machines opened.
func (c Counts) MachineShare() float64 { return rate(c.MachineOpeners, c.PixelOpeners) }

// Stats is a campaign's figures.
type Stats struct {
	Campaign Campaign
	Counts
}

// counts adds up the figures of the campaigns that where selects (a
// condition on campaigns c, with args).
func (s *Service) counts(ctx context.Context, where string, args ...any) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN m.status <> 'cancelled' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN m.status = 'sent' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN m.status = 'bounced' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN m.status = 'failed' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN m.status = 'sent' AND m.tracked THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN m.unsubscribed_at IS NOT NULL THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN m.complained_at IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM campaign_messages m JOIN campaigns c ON c.id = m.campaign_id WHERE `+where, args...).
		Scan(&c.Recipients, &c.Delivered, &c.Bounced, &c.Failed, &c.Tracked, &c.Unsubscribed, &c.Complaints)
	if err != nil {
		return c, err
	}
	err = s.db.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN e.human_open THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN e.machine_open AND NOT e.human_open THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN e.pixel_fetches > 0 THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN e.human_click THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN e.machine_clicks > 0 AND NOT e.human_click THEN 1 ELSE 0 END), 0),
			coalesce(sum(e.machine_clicks), 0)
		FROM newsletter_engagement e JOIN campaign_messages m ON m.id = e.message_id JOIN campaigns c ON c.id = m.campaign_id
		WHERE m.status = 'sent' AND m.tracked AND `+where, args...).
		Scan(&c.HumanOpeners, &c.MachineOpeners, &c.PixelOpeners, &c.HumanClickers, &c.MachineClickers, &c.MachineClicks)
	return c, err
}

// Stats returns the figures of campaign id, after writing the hits
// received so far.
func (s *Service) Stats(ctx context.Context, id int64, actor access.Actor) (Stats, error) {
	c, err := s.Campaign(ctx, id, actor)
	if err != nil {
		return Stats{}, err
	}
	if err := s.FlushHits(ctx); err != nil {
		s.logger.Error("newsletter: writing hits before figures", "err", err)
	}
	counts, err := s.counts(ctx, "c.id = $1", id)
	return Stats{Campaign: c, Counts: counts}, err
}

// Progress is a sending campaign's advance.
type Progress struct {
	Total, Sent, Failed, Waiting, InFlight int
	Rate                                   float64       // messages per second over the last minute, all instances
	ETA                                    time.Duration // 0 when unknown or done
}

// Progress returns how far the sending of campaign id is.
func (s *Service) Progress(ctx context.Context, id int64, actor access.Actor) (Progress, error) {
	c, err := s.Campaign(ctx, id, actor)
	if err != nil {
		return Progress{}, err
	}
	var p Progress
	var lastMinute int
	now := s.now()
	err = s.db.QueryRowContext(ctx, `SELECT
			coalesce(sum(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status IN ('bounced', 'failed') THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'sending' THEN 1 ELSE 0 END), 0),
			coalesce(sum(CASE WHEN status = 'sent' AND sent_at >= $2 THEN 1 ELSE 0 END), 0)
		FROM campaign_messages WHERE campaign_id = $1`, id, now.Add(-time.Minute)).Scan(&p.Sent, &p.Failed, &p.Waiting, &p.InFlight, &lastMinute)
	if err != nil {
		return p, err
	}
	p.Total = c.Recipients
	if !c.Materialised {
		p.Total, err = s.audience(ctx, c.ListIDs)
		if err != nil {
			return p, err
		}
	}
	p.Rate = float64(lastMinute) / 60
	if left := p.Total - p.Sent - p.Failed; left > 0 && p.Rate > 0 && c.Status == Sending {
		p.ETA = time.Duration(float64(left)/p.Rate) * time.Second
	}
	return p, nil
}

// audience estimates how many people a campaign's lists reach.
func (s *Service) audience(ctx context.Context, lists []int64) (int, error) {
	if len(lists) == 0 {
		return 0, nil
	}
	set := map[int64]bool{}
	for _, l := range lists {
		set[l] = true
	}
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT x.subscriber_id) FROM subscriptions x JOIN subscribers s ON s.id = x.subscriber_id
		WHERE x.status = 'subscribed' AND x.list_id IN (`+idList(set)+`)
		AND NOT EXISTS (SELECT 1 FROM newsletter_suppressions z WHERE z.email = s.email)`).Scan(&n)
	return n, err
}

// LinkStat is the clicks of one link of a campaign.
type LinkStat struct {
	URL           string
	Trap          bool
	HumanClickers int // unique recipients who clicked it
	HumanClicks   int
	MachineClicks int
}

// Links returns the clicks of each link of campaign id, in order (the trap
// last).
func (s *Service) Links(ctx context.Context, id int64, actor access.Actor) ([]LinkStat, error) {
	if _, err := s.Campaign(ctx, id, actor); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT l.url, l.trap,
			coalesce(sum(CASE WHEN k.human_clicks > 0 THEN 1 ELSE 0 END), 0), coalesce(sum(k.human_clicks), 0), coalesce(sum(k.machine_clicks), 0)
		FROM campaign_links l LEFT JOIN newsletter_link_clicks k ON k.campaign_id = l.campaign_id AND k.link_idx = l.idx
		WHERE l.campaign_id = $1 GROUP BY l.idx, l.url, l.trap ORDER BY l.idx`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LinkStat
	for rows.Next() {
		var l LinkStat
		if err := rows.Scan(&l.URL, &l.Trap, &l.HumanClickers, &l.HumanClicks, &l.MachineClicks); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// Figures are the newsletters' figures of a period, as the activity
// report reads them: the same numbers as the stats of each campaign,
// added up over the campaigns that started sending in the period.
type Figures struct {
	From, To      date.Date
	CampaignsSent int
	Counts
	OpenRate, ClickRate, NaiveOpenRate float64
	Definitions                        map[string]string
	Campaigns                          []Stats // each campaign of the period, newest first
}

// periodWhere selects the campaigns sent (or being sent) in [from, to].
const periodWhere = `c.status IN ('sending', 'paused', 'sent') AND c.started_at >= $1 AND c.started_at < $2`

func bounds(from, to date.Date) (time.Time, time.Time) {
	return time.Date(from.Year, from.Month, from.Day, 0, 0, 0, 0, date.Paris()).UTC(),
		time.Date(to.Year, to.Month, to.Day, 0, 0, 0, 0, date.Paris()).AddDate(0, 0, 1).UTC()
}

// Figures returns the figures of the campaigns sent from from to to
// (inclusive days, Paris time).
func (s *Service) Figures(ctx context.Context, from, to date.Date, actor access.Actor) (Figures, error) {
	if err := staffOnly(actor); err != nil {
		return Figures{}, err
	}
	if to.Before(from) {
		return Figures{}, fieldErr("au", "la fin de la période précède son début")
	}
	if err := s.FlushHits(ctx); err != nil {
		s.logger.Error("newsletter: writing hits before figures", "err", err)
	}
	a, b := bounds(from, to)
	f := Figures{From: from, To: to, Definitions: map[string]string{"open_rate": DefOpenRate, "click_rate": DefClickRate,
		"naive_open_rate": DefNaiveOpenRate, "tracked": DefTracked}}
	var err error
	if f.Counts, err = s.counts(ctx, periodWhere, a, b); err != nil {
		return f, err
	}
	f.OpenRate, f.ClickRate, f.NaiveOpenRate = f.Counts.OpenRate(), f.Counts.ClickRate(), f.Counts.NaiveOpenRate()
	ids, err := column[int64](ctx, s.db, `SELECT c.id FROM campaigns c WHERE `+periodWhere+` ORDER BY c.started_at DESC, c.id DESC`, a, b)
	if err != nil {
		return f, err
	}
	f.CampaignsSent = len(ids)
	for _, id := range ids {
		c, err := s.Campaign(ctx, id, actor)
		if err != nil {
			return f, err
		}
		counts, err := s.counts(ctx, "c.id = $1", id)
		if err != nil {
			return f, err
		}
		f.Campaigns = append(f.Campaigns, Stats{Campaign: c, Counts: counts})
	}
	return f, nil
}

// OrganisationFigure is what one member organisation's people did.
type OrganisationFigure struct {
	OrganisationID int64
	Name           string
	Delivered      int
	HumanOpens     int // unique human openers per campaign, summed
}

// attribution attributes a message's subscriber to an organisation: the
// one recorded on the subscriber, else that of the account with their
// email. Both addresses are stored in lower case: compared as they are,
// the users' unique index finds the account (lower() would read every
// account for every message).
const attribution = `coalesce(s.organisation_id, (SELECT u.organisation_id FROM users u WHERE u.email = s.email))`

// ByOrganisation returns, per organisation, the messages delivered to its
// people and their human opens over the period.
func (s *Service) ByOrganisation(ctx context.Context, from, to date.Date, actor access.Actor) ([]OrganisationFigure, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	a, b := bounds(from, to)
	rows, err := s.db.QueryContext(ctx, `SELECT t.org, o.name, count(*), coalesce(sum(t.opened), 0) FROM (
			SELECT `+attribution+` AS org, CASE WHEN e.human_open THEN 1 ELSE 0 END AS opened
			FROM campaign_messages m JOIN campaigns c ON c.id = m.campaign_id JOIN subscribers s ON s.id = m.subscriber_id
			LEFT JOIN newsletter_engagement e ON e.message_id = m.id
			WHERE m.status = 'sent' AND `+periodWhere+`) t
		JOIN organisations o ON o.id = t.org GROUP BY t.org, o.name ORDER BY coalesce(sum(t.opened), 0) DESC, o.name`, a, b)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OrganisationFigure
	for rows.Next() {
		var f OrganisationFigure
		if err := rows.Scan(&f.OrganisationID, &f.Name, &f.Delivered, &f.HumanOpens); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Engagement returns, by organisation id, {"newsletter_human_opens": n}:
// the unique human openers of each campaign sent in the period, summed,
// among the people attributed to the organisation (see attribution). It is
// the network's engagement view's reading, which decides who sees it.
func (s *Service) Engagement(ctx context.Context, from, to date.Date) (map[int64]map[string]int, error) {
	list, err := s.ByOrganisation(ctx, from, to, access.System)
	if err != nil {
		return nil, err
	}
	out := map[int64]map[string]int{}
	for _, f := range list {
		if f.HumanOpens > 0 {
			out[f.OrganisationID] = map[string]int{"newsletter_human_opens": f.HumanOpens}
		}
	}
	return out, nil
}

// messageByID reads what the unsubscribe page needs of a message.
func (s *Service) messageByID(ctx context.Context, q store.Querier, id int64) (campaign, subscriber int64, email, subject string, err error) {
	err = q.QueryRowContext(ctx, `SELECT m.campaign_id, m.subscriber_id, m.email, c.subject FROM campaign_messages m
		JOIN campaigns c ON c.id = m.campaign_id WHERE m.id = $1`, id).Scan(&campaign, &subscriber, &email, &subject)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.NotFound("message %d", id)
	}
	return
}

// Tokens returns the link tokens of campaign id's sent messages to tracked
// recipients, in message order: the demo replays hits with them.
func (s *Service) Tokens(ctx context.Context, id int64, actor access.Actor) ([]string, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	ids, err := column[int64](ctx, s.db, `SELECT id FROM campaign_messages WHERE campaign_id = $1 AND status = 'sent' AND tracked ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ids))
	for i, m := range ids {
		if out[i], err = s.messageToken(ctx, m); err != nil {
			return nil, err
		}
	}
	return out, nil
}
