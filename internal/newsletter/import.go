package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/tabular"
	"vivier/internal/valid"
)

// Size limits of a subscribers file.
const (
	MaxImportSize = 20 << 20
	MaxImportRows = 200_000
)

// Basis is the lawful basis of a subscription (GDPR article 6).
type Basis string

// The lawful bases a file may be imported under.
const (
	Consent            Basis = "consent"
	Contract           Basis = "contract"
	LegitimateInterest Basis = "legitimate_interest"
	LegalObligation    Basis = "legal_obligation"
	PublicTask         Basis = "public_task"
)

// Bases lists the lawful bases.
func Bases() []Basis {
	return []Basis{Consent, Contract, LegitimateInterest, LegalObligation, PublicTask}
}

// Label is the basis in French.
func (b Basis) Label() string {
	switch b {
	case Consent:
		return "consentement"
	case Contract:
		return "exécution d’un contrat (adhésion)"
	case LegitimateInterest:
		return "intérêt légitime"
	case LegalObligation:
		return "obligation légale"
	case PublicTask:
		return "mission d’intérêt public"
	}
	return string(b)
}

// ParseBasis reads a basis, naming the field when it is not one.
func ParseBasis(s string) (Basis, error) {
	for _, b := range Bases() {
		if string(b) == strings.TrimSpace(s) {
			return b, nil
		}
	}
	return "", fieldErr("basis", "choisissez la base légale du fichier : consent, contract, legitimate_interest, legal_obligation ou public_task")
}

// NewSubscriber is one person added by staff.
type NewSubscriber struct {
	Email    string
	Name     string
	Tracking bool // they accepted the measure of opens and clicks
}

// Added is what an import did.
type Added struct {
	Added, Skipped int
}

// ReadSubscribers reads and checks a subscribers file (CSV or XLSX, see
// package tabular) with the columns email (required), nom and mesure (oui
// or non: the person accepted the measure of opens and clicks). Every bad
// line is reported with its column; nothing is returned then.
func ReadSubscribers(r io.Reader) ([]NewSubscriber, error) {
	t, err := tabular.Read(r, MaxImportSize)
	if err != nil {
		var te *tabular.Error
		if errors.As(err, &te) {
			return nil, &ImportError{Errors: []RowError{{Line: te.Line, Message: te.Message}}}
		}
		return nil, err
	}
	col := map[string]int{}
	var errs []RowError
	for i, h := range t.Header {
		k := tabular.Key(h)
		switch k {
		case "email", "nom", "mesure":
			if _, dup := col[k]; dup {
				errs = append(errs, RowError{Line: 1, Column: h, Message: "colonne en double"})
			}
			col[k] = i
		case "", "statut", "base_legale", "origine", "consentement_le":
			// What Export adds: read back, not imported.
		default:
			errs = append(errs, RowError{Line: 1, Column: h, Message: "colonne inconnue : les colonnes sont email, nom et mesure"})
		}
	}
	if _, ok := col["email"]; !ok {
		errs = append(errs, RowError{Line: 1, Column: "email", Message: "la colonne email manque"})
	}
	if len(errs) > 0 {
		return nil, tabular.Refuse(errs)
	}
	if len(t.Rows) > MaxImportRows {
		return nil, &ImportError{Errors: []RowError{{Line: t.Rows[MaxImportRows].Line, Message: fmt.Sprintf("le fichier dépasse %s lignes", fr.Int(MaxImportRows))}}}
	}
	cell := func(row tabular.Row, k string) string {
		i, ok := col[k]
		if !ok {
			return ""
		}
		return strings.TrimSpace(row.Cell(i))
	}
	seen := map[string]int{}
	var out []NewSubscriber
	for _, row := range t.Rows {
		if row.Blank() {
			continue
		}
		var ns NewSubscriber
		var e = rowChecker{line: row.Line, header: t.Header, col: col}
		ns.Email = e.email(cell(row, "email"))
		if first, dup := seen[ns.Email]; dup && ns.Email != "" {
			e.add("email", "adresse déjà donnée ligne "+fr.Int(int64(first)))
		} else if ns.Email != "" {
			seen[ns.Email] = row.Line
		}
		ns.Name = e.name(cell(row, "nom"))
		switch strings.ToLower(cell(row, "mesure")) {
		case "", "non":
		case "oui":
			ns.Tracking = true
		default:
			e.add("mesure", "écrivez oui ou non")
		}
		errs = append(errs, e.errs...)
		out = append(out, ns)
	}
	if len(errs) > 0 {
		return nil, tabular.Refuse(errs)
	}
	return out, nil
}

type rowChecker struct {
	line   int
	header []string
	col    map[string]int
	errs   []RowError
}

func (c *rowChecker) add(key, msg string) {
	c.errs = append(c.errs, RowError{Line: c.line, Column: c.header[c.col[key]], Message: msg})
}

func (c *rowChecker) email(v string) string {
	var e errorsOf
	email := checkEmail(&e.list, "email", v)
	if len(e.list) > 0 {
		c.add("email", e.list[0].Message)
		return ""
	}
	return email
}

func (c *rowChecker) name(v string) string {
	var e errorsOf
	name := checkName(&e.list, "nom", v)
	if len(e.list) > 0 {
		c.add("nom", e.list[0].Message)
	}
	return name
}

// Import reads a subscribers file and adds its people to list under the
// lawful basis given for the whole file, all or nothing: a bad file writes
// nothing and its error lists every bad line and column. Addresses on the
// suppression list, or that left this list, are skipped, never mailed again.
func (s *Service) Import(ctx context.Context, listID int64, r io.Reader, basis Basis, actor access.Actor) (Added, error) {
	if err := staffOnly(actor); err != nil {
		return Added{}, err
	}
	if _, err := s.GetList(ctx, listID, actor); err != nil {
		return Added{}, err
	}
	if _, err := ParseBasis(string(basis)); err != nil {
		return Added{}, err
	}
	people, err := ReadSubscribers(r)
	if err != nil {
		return Added{}, err
	}
	return s.add(ctx, listID, people, basis, "import", actor)
}

// AddSubscribers adds people who already consent to list (staff's own
// import through the API), skipping the suppressed and those who left.
func (s *Service) AddSubscribers(ctx context.Context, listID int64, people []NewSubscriber, actor access.Actor) (Added, error) {
	if err := staffOnly(actor); err != nil {
		return Added{}, err
	}
	if _, err := s.GetList(ctx, listID, actor); err != nil {
		return Added{}, err
	}
	if len(people) > MaxImportRows {
		return Added{}, fieldErr("subscribers", "au plus %s personnes par envoi", fr.Int(MaxImportRows))
	}
	var errs errorsOf
	for i := range people {
		field := fmt.Sprintf("[%d].email", i)
		people[i].Email = checkEmail(&errs.list, field, people[i].Email)
		people[i].Name = checkName(&errs.list, fmt.Sprintf("[%d].name", i), people[i].Name)
	}
	if err := errs.list.Err(); err != nil {
		return Added{}, err
	}
	return s.add(ctx, listID, people, Consent, "api", actor)
}

func (s *Service) add(ctx context.Context, listID int64, people []NewSubscriber, basis Basis, source string, actor access.Actor) (Added, error) {
	var res Added
	now := s.now()
	text := fmt.Sprintf("Ajout par la coordination le %s, base légale : %s.", fr.DateTime(now), basis.Label())
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		res = Added{}
		l, err := getList(ctx, tx, listID)
		if err != nil {
			return err
		}
		if basis == Consent {
			text = fmt.Sprintf("Consentement recueilli par la fédération, transmis par la coordination le %s : %s", fr.DateTime(now), consentText(l.Name))
		}
		for _, p := range people {
			ok, err := s.addOne(ctx, tx, listID, p, basis, source, text, actor, now)
			if err != nil {
				return err
			}
			if ok {
				res.Added++
			} else {
				res.Skipped++
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: actor, Action: "newsletter.subscribers_added", Subject: fmt.Sprintf("newsletter_list:%d", listID),
			Details: map[string]any{"added": res.Added, "skipped": res.Skipped, "basis": string(basis), "source": source}})
	})
	if err != nil {
		return Added{}, err
	}
	return res, nil
}

// addOne subscribes one person unless suppressed, gone from the list, or
// there already; it reports whether it added them.
func (s *Service) addOne(ctx context.Context, tx *sql.Tx, listID int64, p NewSubscriber, basis Basis, source, text string, actor access.Actor, now time.Time) (bool, error) {
	if sup, err := suppressed(ctx, tx, p.Email); err != nil || sup {
		return false, err
	}
	id, err := s.subscriberID(ctx, tx, p.Email, p.Name, now)
	if err != nil {
		return false, err
	}
	var status string
	err = tx.QueryRowContext(ctx, `SELECT status FROM subscriptions WHERE subscriber_id = $1 AND list_id = $2`, id, listID).Scan(&status)
	switch {
	case err == nil && status != "pending":
		return false, nil // there already, or left: never brought back
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return false, err
	}
	if p.Tracking {
		if err := setTracking(ctx, tx, id, true, now); err != nil {
			return false, err
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO subscriptions (subscriber_id, list_id, status, basis, source, consent_text, consent_at, consent_ip, confirmed_at, created_at, updated_at)
		VALUES ($1, $2, 'subscribed', $3, $4, $5, $6, $7, $6, $6, $6)
		ON CONFLICT (subscriber_id, list_id) DO UPDATE SET status = 'subscribed', basis = excluded.basis, source = excluded.source,
			consent_text = excluded.consent_text, consent_at = excluded.consent_at, confirmed_at = excluded.confirmed_at, updated_at = excluded.updated_at`,
		id, listID, string(basis), source, text, now, actor.IP)
	return err == nil, err
}

// errorsOf gathers field errors.
type errorsOf struct{ list valid.Errors }

// Subscriber is one person of a list, as staff see and export them.
type Subscriber struct {
	Email, Name, Status, Basis, Source string
	Tracking                           bool
	ConsentAt                          time.Time
}

// Subscribers returns the people of list, at most limit (0: all), by email.
func (s *Service) Subscribers(ctx context.Context, listID int64, limit int, actor access.Actor) ([]Subscriber, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	if _, err := s.GetList(ctx, listID, actor); err != nil {
		return nil, err
	}
	q := `SELECT s.email, s.name, x.status, x.basis, x.source, s.tracking_consent, x.consent_at FROM subscriptions x
		JOIN subscribers s ON s.id = x.subscriber_id WHERE x.list_id = $1 ORDER BY s.email`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := s.db.QueryContext(ctx, q, listID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Subscriber
	for rows.Next() {
		var x Subscriber
		if err := rows.Scan(&x.Email, &x.Name, &x.Status, &x.Basis, &x.Source, &x.Tracking, &x.ConsentAt); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Export writes the people of list as CSV, in the columns Import reads
// plus their status and the proof of their consent.
func (s *Service) Export(ctx context.Context, listID int64, w io.Writer, actor access.Actor) error {
	list, err := s.Subscribers(ctx, listID, 0, actor)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(list))
	for _, x := range list {
		mesure := "non"
		if x.Tracking {
			mesure = "oui"
		}
		rows = append(rows, []string{x.Email, x.Name, mesure, x.Status, x.Basis, x.Source, x.ConsentAt.Format(time.RFC3339)})
	}
	return tabular.WriteCSV(w, []string{"email", "nom", "mesure", "statut", "base_legale", "origine", "consentement_le"}, rows)
}

// RowError is one bad line or cell of an imported file (see package tabular).
type RowError = tabular.RowError

// ImportError refuses a whole file, nothing written (see package tabular).
type ImportError = tabular.ImportError
