package skill

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

const selectSkills = `SELECT code, domain, label, position FROM skills`

func scanSkill(row interface{ Scan(...any) error }) (Skill, error) {
	var s Skill
	err := row.Scan(&s.Code, &s.Domain, &s.Label, &s.Position)
	return s, err
}

// List returns every skill, by domain in the order of Domains, then by
// position.
func List(ctx context.Context, q store.Querier) ([]Skill, error) {
	rows, err := q.QueryContext(ctx, selectSkills+` ORDER BY position, code`)
	if err != nil {
		return nil, fmt.Errorf("list skills: %w", err)
	}
	defer rows.Close()
	var byDomain = map[string][]Skill{}
	for rows.Next() {
		s, err := scanSkill(rows)
		if err != nil {
			return nil, err
		}
		byDomain[s.Domain] = append(byDomain[s.Domain], s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Skill
	for _, d := range Domains {
		out = append(out, byDomain[d.Code]...)
	}
	return out, nil
}

// Get returns the skill with code, or an error wrapping store.ErrNotFound.
func Get(ctx context.Context, q store.Querier, code string) (Skill, error) {
	s, err := scanSkill(q.QueryRowContext(ctx, selectSkills+` WHERE code = $1`, code))
	if err == sql.ErrNoRows {
		return Skill{}, store.NotFound("skill %q", code)
	}
	return s, err
}

// Service reads the taxonomy (public reference data: its readers take no
// actor) and lets staff add skills and rename them.
type Service struct {
	db      *store.DB
	reindex []Reindexer
}

// Options are what the service needs.
type Options struct {
	DB *store.DB
	// Reindex are run, in the transaction of a rename, by every package
	// whose search documents hold skill labels (experts and needs): wired
	// once in app, so that no caller can forget one.
	Reindex []Reindexer
}

// New returns the service.
func New(o Options) *Service { return &Service{db: o.DB, reindex: o.Reindex} }

// Catalog reads the whole taxonomy.
func (s *Service) Catalog(ctx context.Context) (*Catalog, error) { return LoadCatalog(ctx, s.db) }

func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination fait évoluer la liste des compétences")
	}
	return nil
}

// Add creates a skill; staff only. The code must be "domain.name" in one of
// the five domains and not taken; the label must not be empty. The audit
// log keeps who added it.
func (s *Service) Add(ctx context.Context, code, label string, actor access.Actor) (Skill, error) {
	if err := staffOnly(actor); err != nil {
		return Skill{}, err
	}
	db := s.db
	code = strings.TrimSpace(code)
	label = strings.TrimSpace(label)
	var errs valid.Errors
	if msg := checkCode(code); msg != "" {
		errs.Add("code", "%s", msg)
	}
	if label == "" {
		errs.Add("label", "donnez un libellé à la compétence")
	}
	if err := errs.Err(); err != nil {
		return Skill{}, err
	}
	dom, _ := DomainOf(code)
	k := Skill{Code: code, Domain: dom.Code, Label: label}
	now := time.Now().UTC()
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(position), 0) + 10 FROM skills`).Scan(&k.Position); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO skills (code, domain, label, position, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $5)`, k.Code, k.Domain, k.Label, k.Position, now); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "skill.add", Subject: "skill:" + code})
	})
	if store.IsUniqueViolation(err) {
		return Skill{}, valid.Errors{{Field: "code", Message: fmt.Sprintf("le code %s existe déjà", code)}}
	}
	if err != nil {
		return Skill{}, fmt.Errorf("add skill %s: %w", code, err)
	}
	return k, nil
}

// Reindexer rewrites, within tx, the search documents that hold the label
// of the skill code: experts and needs are found by their skills' labels
// (packages expert and need give one each).
type Reindexer func(ctx context.Context, tx *sql.Tx, code string) error

// Rename changes the label of a skill; staff only; its code stays. The
// reindexers run in the same transaction, after the change, so that a
// search by the new label finds what the old one found, and nothing
// changes if one fails. The audit log keeps who renamed it, and the old
// label.
func (s *Service) Rename(ctx context.Context, code, label string, actor access.Actor) error {
	if err := staffOnly(actor); err != nil {
		return err
	}
	label = strings.TrimSpace(label)
	if label == "" {
		return valid.Errors{{Field: "label", Message: "donnez un libellé à la compétence"}}
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := Get(ctx, tx, code)
		if err != nil {
			return err
		}
		if old.Label == label {
			return nil
		}
		now := time.Now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE skills SET label = $1, updated_at = $2 WHERE code = $3`, label, now, code); err != nil {
			return fmt.Errorf("rename skill %s: %w", code, err)
		}
		for _, fn := range s.reindex {
			if err := fn(ctx, tx, code); err != nil {
				return fmt.Errorf("rename skill %s: %w", code, err)
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "skill.rename", Subject: "skill:" + code,
			Details: map[string]any{"from": old.Label, "to": label}})
	})
}

// Catalog is the taxonomy loaded once for work that checks many codes (a
// file import, the demo): lookups without a query each.
type Catalog struct {
	list   []Skill
	byCode map[string]Skill
}

// LoadCatalog reads the whole taxonomy.
func LoadCatalog(ctx context.Context, q store.Querier) (*Catalog, error) {
	list, err := List(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &Catalog{list: list, byCode: make(map[string]Skill, len(list))}
	for _, s := range list {
		c.byCode[s.Code] = s
	}
	return c, nil
}

// Lookup returns the skill with code.
func (c *Catalog) Lookup(code string) (Skill, bool) { s, ok := c.byCode[code]; return s, ok }

// All returns every skill in display order. The slice is shared: do not
// modify it.
func (c *Catalog) All() []Skill { return c.list }

// InDomain returns the skills of one domain in display order.
func (c *Catalog) InDomain(domain string) []Skill {
	var out []Skill
	for _, s := range c.list {
		if s.Domain == domain {
			out = append(out, s)
		}
	}
	return out
}
