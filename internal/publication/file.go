package publication

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"vivier/internal/access"
	"vivier/internal/date"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// MaxFileSize is the largest publication file accepted, in bytes.
const MaxFileSize = 20 << 20

// storedFile is a checked upload.
type storedFile struct {
	name    string
	content []byte
	sum     string
}

// checkFile checks an upload: a PDF by its content (not its name), not
// empty, at most MaxFileSize bytes. nil is no file.
func checkFile(u *Upload) (*storedFile, valid.Errors) {
	if u == nil {
		return nil, nil
	}
	var errs valid.Errors
	switch {
	case len(u.Content) == 0:
		errs.Add("file", "le fichier est vide")
	case len(u.Content) > MaxFileSize:
		errs.Add("file", "le fichier dépasse 20 Mo : réduisez-le (export PDF « taille réduite ») puis réessayez")
	case !bytes.HasPrefix(u.Content, []byte("%PDF-")):
		errs.Add("file", "le fichier doit être un PDF (son contenu n’en est pas un, quel que soit son nom)")
	}
	if len(errs) > 0 {
		return nil, errs
	}
	sum := sha256.Sum256(u.Content)
	return &storedFile{name: cleanFilename(u.Name), content: u.Content, sum: hex.EncodeToString(sum[:])}, nil
}

// cleanFilename keeps the base name, printable, ending in .pdf, for the
// Content-Disposition of downloads.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' || r == 0xfffd {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	if len(name) > 120 {
		name = strings.ToValidUTF8(name[:120], "")
	}
	if name == "" || name == "." {
		name = "publication"
	}
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	return name
}

// Delivery is what a download hands out: the file, or the link to follow.
type Delivery struct {
	Publication Publication
	Content     []byte // the PDF; nil for a link
	Link        string // where to send the visitor, for a publication that is a link
	// CountErr is why the download could not be counted, nil when it was
	// (or needed not be): the visitor gets the publication all the same,
	// the caller logs it.
	CountErr error
}

// Download hands out publication id to actor and counts the download: once
// per visitor and day, where a visitor is a hash of their address (from
// actor) and userAgent with the day's random salt; a user agent of a
// program (IsAutomation) is not counted. The visitors of a day and its salt
// are deleted once the day is over (ForgetVisitors), so only the daily
// counts remain. Counting never stops the download: its failure is in the
// delivery's CountErr.
func (s *Service) Download(ctx context.Context, id int64, userAgent string, actor access.Actor) (Delivery, error) {
	p, err := s.Get(ctx, id, actor)
	if err != nil {
		return Delivery{}, err
	}
	d := Delivery{Publication: p, Link: p.Link}
	if p.HasFile() {
		err := s.db.QueryRowContext(ctx, `SELECT content FROM publication_files WHERE publication_id = $1`, id).Scan(&d.Content)
		if errors.Is(err, sql.ErrNoRows) {
			return Delivery{}, store.NotFound("file of publication %d", id)
		}
		if err != nil {
			return Delivery{}, err
		}
	} else if p.Link == "" {
		return Delivery{}, store.NotFound("publication %d has neither file nor link", id)
	}
	if IsAutomation(userAgent) {
		return d, nil
	}
	d.CountErr = s.count(ctx, id, actor.IP+"\x00"+userAgent)
	return d, nil
}

// count records one download of publication id by visitor (address and
// user agent), once per day.
func (s *Service) count(ctx context.Context, id int64, visitor string) error {
	day := s.today()
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		salt, err := s.salt(ctx, tx, day)
		if err != nil {
			return err
		}
		h := sha256.Sum256([]byte(salt + "\x00" + visitor))
		res, err := tx.ExecContext(ctx, `INSERT INTO publication_visitors (publication_id, day, visitor) VALUES ($1, $2, $3)
			ON CONFLICT (publication_id, day, visitor) DO NOTHING`, id, day, hex.EncodeToString(h[:]))
		if err != nil {
			return fmt.Errorf("count download: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // this visitor already downloaded it today
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO publication_downloads (publication_id, day, downloads) VALUES ($1, $2, 1)
			ON CONFLICT (publication_id, day) DO UPDATE SET downloads = publication_downloads.downloads + 1`, id, day)
		return err
	})
}

// salt returns the random salt of day, creating it on the day's first
// download — when the visitors of the days before are forgotten too.
func (s *Service) salt(ctx context.Context, tx *sql.Tx, day date.Date) (string, error) {
	var salt string
	err := tx.QueryRowContext(ctx, `SELECT salt FROM download_salts WHERE day = $1`, day).Scan(&salt)
	if err == nil {
		return salt, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if err := forget(ctx, tx, day); err != nil {
		return "", err
	}
	var raw [32]byte
	rand.Read(raw[:])
	salt = hex.EncodeToString(raw[:])
	if _, err := tx.ExecContext(ctx, `INSERT INTO download_salts (day, salt) VALUES ($1, $2)`, day, salt); err != nil {
		return "", err
	}
	return salt, nil
}

// forget deletes the visitors and salts of the days before day.
func forget(ctx context.Context, q store.Querier, day date.Date) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM publication_visitors WHERE day < $1`, day); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `DELETE FROM download_salts WHERE day < $1`, day)
	return err
}

// ForgetVisitors deletes the visitors and salts of the days before today,
// for the daily job: a day without downloads does not do it itself.
func (s *Service) ForgetVisitors(ctx context.Context, actor access.Actor) error {
	if !actor.IsSystem() {
		return access.Deny("c’est une tâche périodique de Vivier")
	}
	return forget(ctx, s.db, s.today())
}

// Downloads returns, for each publication, its downloads counted between
// from and to (both days included); staff only.
func (s *Service) Downloads(ctx context.Context, from, to date.Date, actor access.Actor) (map[int64]int, error) {
	if err := staffOnly(actor); err != nil {
		return nil, err
	}
	out := map[int64]int{}
	err := store.EachRow(ctx, s.db, `SELECT publication_id, sum(downloads) FROM publication_downloads WHERE day >= $1 AND day <= $2 GROUP BY publication_id`,
		func(scan func(...any) error) error {
			var id int64
			var n int
			if err := scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
			return nil
		}, from, to)
	return out, err
}
