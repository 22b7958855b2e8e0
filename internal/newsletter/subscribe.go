package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/fr"
	"vivier/internal/mail"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// TrackingConsent is the text of the consent to the measure of opens and
// clicks, shown beside its box and kept with the answer.
const TrackingConsent = "J’accepte que l’ouverture des lettres et les clics sur leurs liens soient mesurés pour moi " +
	"(une image invisible et des liens de redirection propres à chaque lettre), afin que la fédération sache quels sujets " +
	"intéressent ses lecteurs. Sans cet accord, mes lettres ne contiennent ni image de mesure ni lien suivi. " +
	"Je peux retirer cet accord à tout moment depuis la page de mes préférences."

// ConfirmTTL is how long the emailed confirmation link works.
const ConfirmTTL = 72 * time.Hour

// consentText is what a person accepts by subscribing to list.
func consentText(list string) string {
	return "J’accepte de recevoir par courriel la lettre " + fr.Quote(list) + " de la fédération. " +
		"Je peux me désabonner à tout moment par le lien présent dans chaque lettre."
}

// Subscription is what a visitor asks on the site's form.
type Subscription struct {
	Email    string
	Name     string
	ListIDs  []int64
	Tracking bool // accepts the measure of opens and clicks
}

// Subscribe records a visitor's subscription to public lists, with the
// consent texts and the instant as proof. Lists with double opt-in wait
// for the emailed link; the others start at once. The answer is the same
// whether the address was known or not, so that the form tells nobody who
// subscribes.
func (s *Service) Subscribe(ctx context.Context, in Subscription, actor access.Actor) error {
	var e valid.Errors
	email := checkEmail(&e, "email", in.Email)
	name := checkName(&e, "name", in.Name)
	if len(in.ListIDs) == 0 {
		e.Add("lists", "choisissez au moins une lettre")
	}
	if len(in.ListIDs) > 50 {
		e.Add("lists", "trop de lettres choisies")
	}
	if err := e.Err(); err != nil {
		return err
	}
	// The key that signs the link is read (or made) before the
	// transaction: on SQLite making it needs the one writer connection.
	if _, err := s.signingKey(ctx); err != nil {
		return err
	}
	now := s.now()
	pending := false
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		pending = false
		var lists []List
		for _, id := range in.ListIDs {
			l, err := getList(ctx, tx, id)
			if err == nil && !l.Public {
				err = store.NotFound("newsletter list %d", id)
			}
			if errors.Is(err, store.ErrNotFound) {
				return fieldErr("lists", "cette lettre n’existe pas ou n’est pas ouverte aux inscriptions")
			}
			if err != nil {
				return err
			}
			lists = append(lists, l)
		}
		id, err := s.subscriberID(ctx, tx, email, name, now)
		if err != nil {
			return err
		}
		if err := setTracking(ctx, tx, id, in.Tracking, now); err != nil {
			return err
		}
		for _, l := range lists {
			status := "subscribed"
			if l.DoubleOptIn {
				status, pending = "pending", true
			}
			// A confirmed subscription stays as it is; a pending or
			// ended one takes the new consent.
			if _, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id, status, basis, source, consent_text, consent_at, consent_ip, created_at, updated_at)
				VALUES ($1, $2, $3, 'consent', 'form', $4, $5, $6, $5, $5)
				ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = excluded.status, basis = 'consent', source = 'form',
					consent_text = excluded.consent_text, consent_at = excluded.consent_at, consent_ip = excluded.consent_ip,
					unsubscribed_at = NULL, updated_at = excluded.updated_at
				WHERE subscriptions.status <> 'subscribed'`, id, l.ID, status, consentText(l.Name), now, actor.IP); err != nil {
				return err
			}
			if status == "subscribed" {
				if _, err := tx.ExecContext(ctx, `DELETE FROM newsletter_suppressions WHERE email = $1 AND reason = 'unsubscribed'`, email); err != nil {
					return err
				}
			}
		}
		if !pending {
			return nil
		}
		return s.enqueueConfirmation(ctx, tx, id, email, name, now)
	})
	if err == nil && pending && s.notify != nil {
		s.notify()
	}
	return err
}

// notice is the data of the mail package's notice template.
type notice struct {
	Name, Subject, Action, URL string
	Lines                      []string
}

// enqueueConfirmation sends the double opt-in link of subscriber id.
func (s *Service) enqueueConfirmation(ctx context.Context, tx *sql.Tx, id int64, email, name string, now time.Time) error {
	exp := now.Add(ConfirmTTL)
	token, err := s.sign(ctx, "c"+b36(id)+"-"+b36(exp.Unix()))
	if err != nil {
		return err
	}
	m, err := mail.Compose(email, fmt.Sprintf("newsletter-confirm:%d:%d", id, now.UnixNano()), "mission_notice", notice{Name: name,
		Subject: "Confirmez votre inscription aux lettres de la fédération",
		Lines: []string{"Vous avez demandé à recevoir les lettres d’information de la fédération des agences de développement économique.",
			"Pour confirmer, ouvrez le lien ci-dessous avant le " + fr.DateTime(exp) + ". Sans confirmation, vous ne recevrez rien.",
			"Si vous n’avez rien demandé, ignorez ce message."},
		Action: "Confirmer mon inscription", URL: s.baseURL + "/lettres/confirmation/" + token})
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, m)
}

// ErrExpired refuses a confirmation link used too late.
var ErrExpired = access.Errorf(access.Conflict, "ce lien de confirmation a expiré : inscrivez-vous à nouveau pour en recevoir un autre")

// confirmation reads a confirmation token.
func (s *Service) confirmation(ctx context.Context, token string) (int64, error) {
	p, ok := s.verify(ctx, token, "c")
	v, ok2 := ids(p, "c", 2)
	if !ok || !ok2 {
		return 0, store.NotFound("confirmation link")
	}
	if s.now().Unix() > v[1] {
		return 0, ErrExpired
	}
	return v[0], nil
}

// Pending returns the names of the lists a confirmation link would
// confirm; « not found » for a bad link, a conflict when it expired.
func (s *Service) Pending(ctx context.Context, token string, actor access.Actor) ([]string, error) {
	id, err := s.confirmation(ctx, token)
	if err != nil {
		return nil, err
	}
	return column[string](ctx, s.db, `SELECT l.name FROM subscriptions x JOIN newsletter_lists l ON l.id = x.list_id
		WHERE x.subscriber_id = $1 AND x.status = 'pending' ORDER BY l.name`, id)
}

// Confirm starts the pending subscriptions of the link's subscriber and
// returns the token of their preferences page. A second use confirms
// nothing more and succeeds.
func (s *Service) Confirm(ctx context.Context, token string, actor access.Actor) (string, error) {
	id, err := s.confirmation(ctx, token)
	if err != nil {
		return "", err
	}
	now := s.now()
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM subscribers WHERE id = $1`, id).Scan(&email); errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("subscriber %d", id)
		} else if err != nil {
			return err
		}
		n, err := rowsAffected(tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'subscribed', confirmed_at = $2, updated_at = $2
			WHERE subscriber_id = $1 AND status = 'pending'`, id, now))
		if err != nil || n == 0 {
			return err
		}
		// A person who confirms again, with the link sent to their box,
		// lifts their own suppression.
		if _, err := tx.ExecContext(ctx, `DELETE FROM newsletter_suppressions WHERE email = $1`, email); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE subscribers SET soft_bounces = 0 WHERE id = $1`, id)
		return err
	})
	if err != nil {
		return "", err
	}
	return s.subscriberToken(ctx, id)
}

// column reads one column of a query's rows.
func column[T any](ctx context.Context, q store.Querier, query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Preferences is what a subscriber's own page shows.
type Preferences struct {
	Email    string
	Tracking bool
	Lists    []ListChoice
}

// ListChoice is a list and whether the person receives it.
type ListChoice struct {
	List
	Subscribed, Pending bool
}

// subscriberOfToken reads a preferences token.
func (s *Service) subscriberOfToken(ctx context.Context, token string) (int64, error) {
	p, ok := s.verify(ctx, token, "s")
	v, ok2 := ids(p, "s", 1)
	if !ok || !ok2 {
		return 0, store.NotFound("preferences link")
	}
	return v[0], nil
}

// PreferencesOf returns the page of the subscriber of token: the public
// lists and the private ones they receive.
func (s *Service) PreferencesOf(ctx context.Context, token string, actor access.Actor) (Preferences, error) {
	id, err := s.subscriberOfToken(ctx, token)
	if err != nil {
		return Preferences{}, err
	}
	return s.preferences(ctx, id)
}

func (s *Service) preferences(ctx context.Context, id int64) (Preferences, error) {
	var p Preferences
	err := s.db.QueryRowContext(ctx, `SELECT email, tracking_consent FROM subscribers WHERE id = $1`, id).Scan(&p.Email, &p.Tracking)
	if errors.Is(err, sql.ErrNoRows) || err == nil && isErased(p.Email) {
		return p, store.NotFound("subscriber %d", id)
	}
	if err != nil {
		return p, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+listColumns+`, coalesce(x.status, '') FROM newsletter_lists l
		LEFT JOIN subscriptions x ON x.list_id = l.id AND x.subscriber_id = $1
		WHERE l.public OR x.status IN ('subscribed', 'pending') ORDER BY l.name`, id)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	for rows.Next() {
		var c ListChoice
		var status string
		if err := rows.Scan(&c.ID, &c.Name, &c.Description, &c.Public, &c.DoubleOptIn, &c.CreatedAt, &c.List.Subscribed, &c.List.Pending, &status); err != nil {
			return p, err
		}
		c.List.Subscribed, c.List.Pending = 0, 0
		c.Subscribed, c.Pending = status == "subscribed", status == "pending"
		p.Lists = append(p.Lists, c)
	}
	return p, rows.Err()
}

// Choice is what a person keeps on their preferences page.
type Choice struct {
	ListIDs  []int64 // the lists they want; the others end
	Tracking bool
}

// SavePreferences applies a subscriber's choices from their page: lists
// left unticked end (a ticked public list they did not receive starts at
// once: the link came to their box), the measure is given or withdrawn.
func (s *Service) SavePreferences(ctx context.Context, token string, c Choice, actor access.Actor) error {
	id, err := s.subscriberOfToken(ctx, token)
	if err != nil {
		return err
	}
	return s.applyChoice(ctx, id, c, "form", actor)
}

func (s *Service) applyChoice(ctx context.Context, id int64, c Choice, source string, actor access.Actor) error {
	prefs, err := s.preferences(ctx, id)
	if err != nil {
		return err
	}
	want := map[int64]bool{}
	for _, l := range c.ListIDs {
		want[l] = true
	}
	for l := range want {
		found := false
		for _, x := range prefs.Lists {
			found = found || x.ID == l
		}
		if !found {
			return fieldErr("lists", "cette lettre n’existe pas ou n’est pas ouverte aux inscriptions")
		}
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := setTracking(ctx, tx, id, c.Tracking, now); err != nil {
			return err
		}
		for _, l := range prefs.Lists {
			switch {
			case want[l.ID] && !l.Subscribed:
				if _, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id, status, basis, source, consent_text, consent_at, consent_ip, confirmed_at, created_at, updated_at)
					VALUES ($1, $2, 'subscribed', 'consent', $3, $4, $5, $6, $5, $5, $5)
					ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = 'subscribed', basis = 'consent', source = excluded.source,
						consent_text = excluded.consent_text, consent_at = excluded.consent_at, consent_ip = excluded.consent_ip,
						confirmed_at = excluded.confirmed_at, unsubscribed_at = NULL, updated_at = excluded.updated_at`,
					id, l.ID, source, consentText(l.Name), now, actor.IP); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `DELETE FROM newsletter_suppressions WHERE email = $1 AND reason = 'unsubscribed'`, prefs.Email); err != nil {
					return err
				}
			case !want[l.ID] && (l.Subscribed || l.Pending):
				if err := endSubscription(ctx, tx, id, l.ID, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// endSubscription unsubscribes subscriber id from list.
func endSubscription(ctx context.Context, q store.Querier, id, list int64, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $3, updated_at = $3
		WHERE subscriber_id = $1 AND list_id = $2 AND status <> 'unsubscribed'`, id, list, now)
	return err
}

// UnsubscribeAll ends every subscription of the token's subscriber and puts
// the address on the suppression list, so that no import brings it back.
func (s *Service) UnsubscribeAll(ctx context.Context, token string, actor access.Actor) error {
	id, err := s.subscriberOfToken(ctx, token)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		var email string
		if err := tx.QueryRowContext(ctx, `SELECT email FROM subscribers WHERE id = $1`, id).Scan(&email); errors.Is(err, sql.ErrNoRows) {
			return store.NotFound("subscriber %d", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = $2, updated_at = $2
			WHERE subscriber_id = $1 AND status <> 'unsubscribed'`, id, now); err != nil {
			return err
		}
		return suppress(ctx, tx, email, "unsubscribed", "désabonnement de toutes les lettres", now)
	})
}

// MyLists is the page of a signed-in person: the public lists and whether
// the address of their account receives each.
func (s *Service) MyLists(ctx context.Context, actor access.Actor) (Preferences, error) {
	if err := signedInOnly(actor); err != nil {
		return Preferences{}, err
	}
	email, name, org, err := accountOf(ctx, s.db, actor.UserID)
	if err != nil {
		return Preferences{}, err
	}
	var id int64
	err = s.db.QueryRowContext(ctx, `SELECT id FROM subscribers WHERE email = $1`, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		lists, err := s.Lists(ctx, access.Actor{})
		p := Preferences{Email: email}
		for _, l := range lists {
			p.Lists = append(p.Lists, ListChoice{List: l})
		}
		_, _ = name, org
		return p, err
	}
	if err != nil {
		return Preferences{}, err
	}
	return s.preferences(ctx, id)
}

// SetMyLists applies a signed-in person's choices for the address of their
// account (confirmed by their account: no double opt-in), and records
// their organisation on the subscriber.
func (s *Service) SetMyLists(ctx context.Context, c Choice, actor access.Actor) error {
	if err := signedInOnly(actor); err != nil {
		return err
	}
	email, name, org, err := accountOf(ctx, s.db, actor.UserID)
	if err != nil {
		return err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id, err = s.subscriberID(ctx, tx, email, name, s.now()); err != nil {
			return err
		}
		if org.Valid {
			_, err = tx.ExecContext(ctx, `UPDATE subscribers SET organisation_id = $2 WHERE id = $1 AND organisation_id IS NULL`, id, org.Int64)
		}
		return err
	})
	if err != nil {
		return err
	}
	return s.applyChoice(ctx, id, c, "account", actor)
}

func accountOf(ctx context.Context, q store.Querier, userID int64) (email, name string, org sql.NullInt64, err error) {
	err = q.QueryRowContext(ctx, `SELECT email, name, organisation_id FROM users WHERE id = $1 AND status = 'active'`, userID).Scan(&email, &name, &org)
	if errors.Is(err, sql.ErrNoRows) {
		err = store.NotFound("user %d", userID)
	}
	return strings.ToLower(email), name, org, err
}
