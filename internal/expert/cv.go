package expert

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// MaxCVSize is the largest CV accepted, in bytes.
const MaxCVSize = 5 << 20

// CV is an expert's CV, a PDF.
type CV struct {
	Filename   string
	Size       int
	Content    []byte
	UploadedAt time.Time
}

// UploadCV stores r as the CV of expert id, replacing the previous one. The
// content must start as a PDF does ("%PDF-") and hold at most MaxCVSize
// bytes; otherwise a validation error on the field "cv" says why.
func (s *Service) UploadCV(ctx context.Context, id int64, filename string, r io.Reader, actor access.Actor) error {
	if _, err := s.Get(ctx, id, actor); err != nil {
		return err
	}
	content, err := io.ReadAll(io.LimitReader(r, MaxCVSize+1))
	if err != nil {
		return fmt.Errorf("read CV: %w", err)
	}
	switch {
	case len(content) == 0:
		return valid.FieldError{Field: "cv", Message: "le fichier est vide"}
	case len(content) > MaxCVSize:
		return valid.FieldError{Field: "cv", Message: "le CV dépasse 5 Mo : réduisez-le (export PDF « taille réduite ») puis réessayez"}
	case !bytes.HasPrefix(content, []byte("%PDF-")):
		return valid.FieldError{Field: "cv", Message: "le CV doit être un fichier PDF"}
	}
	filename = cleanFilename(filename)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		res, err := tx.ExecContext(ctx, `UPDATE experts SET updated_at = $1 WHERE id = $2`, now, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("expert %d", id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO expert_cvs (expert_id, filename, size, content, uploaded_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (expert_id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
			content = excluded.content, uploaded_at = excluded.uploaded_at`, id, filename, len(content), content, now); err != nil {
			return fmt.Errorf("store CV of expert %d: %w", id, err)
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "expert.cv_upload", Subject: subject(id),
			Details: map[string]any{"size": len(content)}})
	})
}

// CV returns the CV of expert id, or an error wrapping store.ErrNotFound
// (also when actor may not see the expert).
func (s *Service) CV(ctx context.Context, id int64, actor access.Actor) (CV, error) {
	if _, err := s.Get(ctx, id, actor); err != nil {
		return CV{}, err
	}
	var cv CV
	err := s.db.QueryRowContext(ctx, `SELECT filename, size, content, uploaded_at FROM expert_cvs WHERE expert_id = $1`, id).
		Scan(&cv.Filename, &cv.Size, &cv.Content, &cv.UploadedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return CV{}, store.NotFound("CV of expert %d", id)
	}
	cv.UploadedAt = cv.UploadedAt.UTC()
	return cv, err
}

// cleanFilename keeps the base name, printable, ending in .pdf, for the
// Content-Disposition of downloads.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if len(name) > 120 {
		name = name[:120]
	}
	if name == "" || name == "." {
		name = "cv"
	}
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	return name
}
