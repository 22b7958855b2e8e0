package publication

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/markdown"
	"vivier/internal/search"
	"vivier/internal/skill"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// Limits of a publication's fields.
const (
	MaxTitle     = 300
	MaxSummary   = 20000
	MaxCoAuthors = 50
)

// normalise returns in cleaned (spaces trimmed, themes and co-authors
// sorted without repeats) and every invalid value, named as in the API. The
// co-authors are checked against the organisations through q.
func (s *Service) normalise(ctx context.Context, q store.Querier, in Input, hasFile bool) (Input, valid.Errors, error) {
	var errs valid.Errors
	in.Title = strings.TrimSpace(in.Title)
	in.Summary = strings.TrimSpace(strings.ReplaceAll(in.Summary, "\r\n", "\n"))
	in.Link = strings.TrimSpace(in.Link)
	if errs.Text("title", in.Title, MaxTitle, false) && in.Title == "" {
		errs.Add("title", "indiquez le titre de la publication")
	}
	if !in.Kind.valid() {
		errs.Add("kind", "choisissez le type : guide, étude, note, entretien ou replay")
	}
	errs.Text("summary", in.Summary, MaxSummary, true)
	today := s.today()
	switch {
	case in.PublishedOn.IsZero():
		errs.Add("published_on", "indiquez la date de publication")
	case in.PublishedOn.Year < 1990 || in.PublishedOn.After(today.AddDays(366)):
		errs.Add("published_on", "la date de publication doit être comprise entre 1990 et l’an prochain")
	}
	if in.Audience == "" {
		in.Audience = Public
	}
	if !in.Audience.valid() {
		errs.Add("audience", "choisissez le public : public ou members")
	}
	if errs.WebAddress("link", in.Link) && in.Link != "" && hasFile {
		errs.Add("link", "une publication est un fichier ou un lien, pas les deux : retirez le fichier pour donner un lien")
	}
	in.Themes = themes(&errs, in.Themes)
	var err error
	in.CoAuthors, err = coAuthors(ctx, q, &errs, in.CoAuthors)
	return in, errs, err
}

func themes(errs *valid.Errors, list []string) []string {
	out := []string{}
	for _, t := range list {
		t = strings.TrimSpace(t)
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if d, ok := skill.DomainOf(t); !ok || d.Code != t {
			errs.Add("themes", "thème %q inconnu : attractivite, filieres, entreprises, management ou strategie", t)
			continue
		}
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

func coAuthors(ctx context.Context, q store.Querier, errs *valid.Errors, ids []int64) ([]int64, error) {
	out := []int64{}
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if len(out) > MaxCoAuthors {
		errs.Add("co_authors", "%d co-auteurs au plus", MaxCoAuthors)
		return out, nil
	}
	slices.Sort(out)
	for _, id := range out {
		var kind string
		err := q.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = $1`, id).Scan(&kind)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			errs.Add("co_authors", "aucune organisation n’a le numéro %d", id)
		case err != nil:
			return nil, err
		case kind != "agence" && kind != "partenaire":
			errs.Add("co_authors", "l’organisation %d n’est ni une agence ni un partenaire", id)
		}
	}
	return out, nil
}

// Create stores a new publication with its file (nil for none); staff only.
func (s *Service) Create(ctx context.Context, in Input, file *Upload, actor access.Actor) (Publication, error) {
	if err := staffOnly(actor); err != nil {
		return Publication{}, err
	}
	in, errs, err := s.normalise(ctx, s.db, in, file != nil)
	if err != nil {
		return Publication{}, err
	}
	f, ferr := checkFile(file)
	if ferr != nil {
		errs = append(errs, ferr...)
	}
	if err := errs.Err(); err != nil {
		return Publication{}, err
	}
	var id int64
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		err := tx.QueryRowContext(ctx, `INSERT INTO publications (title, kind, summary, published_on, audience, link, created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			in.Title, string(in.Kind), in.Summary, in.PublishedOn, string(in.Audience), in.Link, nullID(actor.UserID), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create publication: %w", err)
		}
		if err := s.writeDetails(ctx, tx, id, in, f); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "publication.create", Subject: subject(id),
			Details: map[string]any{"kind": string(in.Kind), "audience": string(in.Audience), "file": f != nil}})
	})
	if err != nil {
		return Publication{}, err
	}
	return s.Get(ctx, id, actor)
}

// Update replaces the publication id with in, and its file with file when
// file is not nil; removeFile drops the file (to give a link instead).
// Staff only. Nothing changed is no change: no write, no audit entry.
func (s *Service) Update(ctx context.Context, id int64, in Input, file *Upload, removeFile bool, actor access.Actor) (Publication, error) {
	old, err := s.Get(ctx, id, actor)
	if err != nil {
		return Publication{}, err
	}
	if err := staffOnly(actor); err != nil {
		return Publication{}, err
	}
	in, errs, err := s.normalise(ctx, s.db, in, file != nil || old.HasFile() && !removeFile)
	if err != nil {
		return Publication{}, err
	}
	f, ferr := checkFile(file)
	if ferr != nil {
		errs = append(errs, ferr...)
	}
	if err := errs.Err(); err != nil {
		return Publication{}, err
	}
	if f == nil && !(removeFile && old.HasFile()) && same(old, in) {
		return old, nil
	}
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE publications SET title = $1, kind = $2, summary = $3, published_on = $4, audience = $5,
			link = $6, updated_at = $7 WHERE id = $8`, in.Title, string(in.Kind), in.Summary, in.PublishedOn, string(in.Audience), in.Link, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("publication %d", id)
		}
		for _, table := range []string{"publication_themes", "publication_authors"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE publication_id = $1`, id); err != nil {
				return err
			}
		}
		if removeFile && f == nil {
			if _, err := tx.ExecContext(ctx, `DELETE FROM publication_files WHERE publication_id = $1`, id); err != nil {
				return err
			}
		}
		if err := s.writeDetails(ctx, tx, id, in, f); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "publication.update", Subject: subject(id),
			Details: map[string]any{"fields": changed(old, in), "file": f != nil, "file_removed": removeFile && f == nil && old.HasFile()}})
	})
	if err != nil {
		return Publication{}, err
	}
	return s.Get(ctx, id, actor)
}

// writeDetails writes the themes, co-authors, file and search document of
// publication id, in its transaction.
func (s *Service) writeDetails(ctx context.Context, tx *sql.Tx, id int64, in Input, f *storedFile) error {
	for _, t := range in.Themes {
		if _, err := tx.ExecContext(ctx, `INSERT INTO publication_themes (publication_id, domain) VALUES ($1, $2)`, id, t); err != nil {
			return err
		}
	}
	names := []string{}
	for _, o := range in.CoAuthors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO publication_authors (publication_id, organisation_id) VALUES ($1, $2)`, id, o); err != nil {
			return err
		}
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM organisations WHERE id = $1`, o).Scan(&name); err != nil {
			return err
		}
		names = append(names, name)
	}
	if f != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO publication_files (publication_id, filename, size, sha256, content, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (publication_id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
			sha256 = excluded.sha256, content = excluded.content, uploaded_at = excluded.uploaded_at`,
			id, f.name, len(f.content), f.sum, f.content, s.now()); err != nil {
			return fmt.Errorf("store the file of publication %d: %w", id, err)
		}
	}
	return search.Publications(s.db).Put(ctx, tx, id, document(in, names))
}

// document is the search document of a publication: its title, summary
// without Markdown marks, kind, themes and co-authors' names.
func document(in Input, authors []string) string {
	text, err := markdown.Text(in.Summary)
	if err != nil {
		text = in.Summary
	}
	parts := []string{in.Title, text, in.Kind.Label()}
	for _, t := range in.Themes {
		if d, ok := skill.DomainOf(t); ok {
			parts = append(parts, d.Label)
		}
	}
	return search.Document(append(parts, authors...)...)
}

// same reports whether in says what p already holds.
func same(p Publication, in Input) bool { return len(changed(p, in)) == 0 }

// changed names the fields in changes in p (never their values: the audit
// log keeps no text).
func changed(p Publication, in Input) []string {
	var out []string
	ids := make([]int64, len(p.CoAuthors))
	for i, a := range p.CoAuthors {
		ids[i] = a.ID
	}
	for _, c := range []struct {
		name string
		diff bool
	}{
		{"title", p.Title != in.Title}, {"kind", p.Kind != in.Kind}, {"summary", p.Summary != in.Summary},
		{"published_on", p.PublishedOn != in.PublishedOn}, {"audience", p.Audience != in.Audience}, {"link", p.Link != in.Link},
		{"themes", !slices.Equal(p.Themes, in.Themes)}, {"co_authors", !slices.Equal(ids, in.CoAuthors)},
	} {
		if c.diff {
			out = append(out, c.name)
		}
	}
	return out
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
