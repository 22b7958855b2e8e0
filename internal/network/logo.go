package network

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"image"
	_ "image/jpeg" // logos in JPEG
	_ "image/png"  // logos in PNG

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/valid"
)

// Logo limits: a logo is an image checked by its content (PNG, JPEG or
// WebP — never SVG, which may hold scripts), at most 500 KB and 2,000
// pixels a side.
const (
	MaxLogoSize = 500 << 10
	MaxLogoSide = 2000
	MinLogoSide = 16
)

// Logo is a member's logo as stored.
type Logo struct {
	Data   []byte
	Type   string // image/png, image/jpeg or image/webp
	SHA256 string // of Data: the ETag of its responses
}

// CheckLogo returns the content type of an image acceptable as a logo, or
// a validation error on "logo" saying what is wrong with it.
func CheckLogo(data []byte) (string, error) {
	bad := func(msg string) (string, error) { return "", valid.FieldError{Field: "logo", Message: msg} }
	switch {
	case len(data) == 0:
		return bad("choisissez une image")
	case len(data) > MaxLogoSize:
		return bad("le logo dépasse 500 Ko : réduisez l’image")
	}
	var kind string
	var w, h int
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		kind = "image/png"
	case bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF}):
		kind = "image/jpeg"
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		var ok bool
		if w, h, ok = webpSize(data); !ok {
			return bad("cette image WebP est abîmée ou d’un format inconnu")
		}
		kind = "image/webp"
	default:
		return bad("le logo est une image PNG, JPEG ou WebP (le contenu du fichier n’en est pas une)")
	}
	if kind != "image/webp" {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return bad("cette image est abîmée : elle ne se lit pas")
		}
		w, h = cfg.Width, cfg.Height
	}
	switch {
	case w > MaxLogoSide || h > MaxLogoSide:
		return bad("le logo mesure au plus 2 000 pixels de côté")
	case w < MinLogoSide || h < MinLogoSide:
		return bad("le logo mesure au moins 16 pixels de côté")
	}
	if kind != "image/webp" {
		// The dimensions are bounded: decoding the whole image is cheap
		// and proves it is not a truncated or forged file.
		if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
			return bad("cette image est abîmée : elle ne se lit pas jusqu’au bout")
		}
	}
	return kind, nil
}

// webpSize reads the dimensions in a WebP file's first chunk: lossy
// (VP8), lossless (VP8L) or extended (VP8X).
func webpSize(b []byte) (w, h int, ok bool) {
	if len(b) < 30 {
		return 0, 0, false
	}
	chunk, body := string(b[12:16]), b[20:]
	switch chunk {
	case "VP8 ":
		// 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes.
		if len(body) < 10 || body[3] != 0x9d || body[4] != 0x01 || body[5] != 0x2a {
			return 0, 0, false
		}
		return int(binary.LittleEndian.Uint16(body[6:8]) & 0x3fff), int(binary.LittleEndian.Uint16(body[8:10]) & 0x3fff), true
	case "VP8L":
		if len(body) < 5 || body[0] != 0x2f {
			return 0, 0, false
		}
		v := binary.LittleEndian.Uint32(body[1:5])
		return int(v&0x3fff) + 1, int(v>>14&0x3fff) + 1, true
	case "VP8X":
		if len(body) < 10 {
			return 0, 0, false
		}
		u24 := func(p []byte) int { return int(p[0]) | int(p[1])<<8 | int(p[2])<<16 }
		return u24(body[4:7]) + 1, u24(body[7:10]) + 1, true
	}
	return 0, 0, false
}

// SetLogo replaces the logo of member id; staff and the member's referents
// may. The image is checked by its content (CheckLogo).
func (s *Service) SetLogo(ctx context.Context, id int64, data []byte, actor access.Actor) error {
	if err := s.mayEdit(ctx, s.db, id, actor); err != nil {
		return err
	}
	kind, err := CheckLogo(data)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE members SET logo = $1, logo_type = $2, logo_sha256 = $3, updated_at = $4
			WHERE organisation_id = $5 AND logo_sha256 <> $3`, data, kind, sha, s.now(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // the same image again
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.logo", Subject: subject("member", id),
			Details: map[string]any{"type": kind, "size": len(data)}})
	})
}

// Logo returns the logo of member id, and whether anyone may see it (it is
// in the public directory): everyone sees the logos of the public
// directory's members, and who may read a member's entry sees its logo.
func (s *Service) Logo(ctx context.Context, id int64, actor access.Actor) (Logo, bool, error) {
	m, err := s.getMember(ctx, s.db, id)
	if err != nil {
		return Logo{}, false, err
	}
	public := m.Listed && m.Current
	if !public {
		if _, err := s.Member(ctx, id, actor); err != nil {
			return Logo{}, false, err
		}
	}
	var l Logo
	err = s.db.QueryRowContext(ctx, `SELECT logo, logo_type, logo_sha256 FROM members WHERE organisation_id = $1 AND logo IS NOT NULL`, id).
		Scan(&l.Data, &l.Type, &l.SHA256)
	if err := one(err, "logo of member %d", id); err != nil {
		return Logo{}, false, err
	}
	return l, public, nil
}
