package representation

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/store"
	"vivier/internal/valid"
)

// MaxDelegation bounds a hearing's delegation.
const MaxDelegation = 30

// AddAgencies adds member agencies to the delegation of hearing id, each
// with the reason the helper gave ("" when chosen by hand); agencies
// already in it are left as they are. Staff only. Only a hearing has a
// delegation (a conflict otherwise). Adding nothing new writes nothing.
func (s *Service) AddAgencies(ctx context.Context, id int64, agencies []Delegate, actor access.Actor) error {
	if err := staffRecord(id, actor); err != nil {
		return err
	}
	var errs valid.Errors
	for _, d := range agencies {
		errs.Text("agencies", d.Reason, 2000, false)
	}
	if len(agencies) == 0 {
		errs.Add("agencies", "choisissez au moins une agence")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		kind, err := kindOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if kind != Hearing {
			return access.Errorf(access.Conflict, "seule une audition a une délégation d’agences")
		}
		var added []int64
		for _, d := range agencies {
			var orgKind string
			err := tx.QueryRowContext(ctx, `SELECT kind FROM organisations WHERE id = $1`, d.ID).Scan(&orgKind)
			if errors.Is(err, sql.ErrNoRows) || err == nil && orgKind != "agence" {
				return valid.Errors{{Field: "agencies", Message: "l’organisation choisie n’est pas une agence"}}
			}
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO delegation_agencies (representation_id, organisation_id, reason) VALUES ($1, $2, $3)
				ON CONFLICT (representation_id, organisation_id) DO NOTHING`, id, d.ID, strings.TrimSpace(d.Reason))
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added = append(added, d.ID)
			}
		}
		if len(added) == 0 {
			return nil
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM delegation_agencies WHERE representation_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > MaxDelegation {
			return valid.Errors{{Field: "agencies", Message: "une délégation compte 30 agences au plus"}}
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE representations SET updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.delegation_add", Subject: subject(id),
			Details: map[string]any{"organisations": added}})
	})
}

// RemoveAgency takes agency orgID out of the delegation of act id; staff
// only. An agency that is not in it is « not found ».
func (s *Service) RemoveAgency(ctx context.Context, id, orgID int64, actor access.Actor) error {
	if err := staffRecord(id, actor); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM delegation_agencies WHERE representation_id = $1 AND organisation_id = $2`, id, orgID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("agency %d in the delegation of %d", orgID, id)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE representations SET updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.delegation_remove", Subject: subject(id),
			Details: map[string]any{"organisation": orgID}})
	})
}

// AddPerson adds someone who took part in hearing or meeting id; staff
// only. A note has no participants (a conflict).
func (s *Service) AddPerson(ctx context.Context, id int64, p Person, actor access.Actor) error {
	if err := staffRecord(id, actor); err != nil {
		return err
	}
	p.Name, p.Role = strings.TrimSpace(p.Name), strings.TrimSpace(p.Role)
	var errs valid.Errors
	if errs.Text("name", p.Name, 200, false) && p.Name == "" {
		errs.Add("name", "indiquez le nom de la personne")
	}
	errs.Text("role", p.Role, 200, false)
	if err := errs.Err(); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		kind, err := kindOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if kind == Note {
			return access.Errorf(access.Conflict, "une note remise n’a pas de participants")
		}
		if p.OrganisationID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM organisations WHERE id = $1`, p.OrganisationID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return valid.Errors{{Field: "organisation_id", Message: "organisation inconnue"}}
			}
		}
		var pid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO delegation_people (representation_id, name, role, organisation_id) VALUES ($1, $2, $3, $4) RETURNING id`,
			id, p.Name, p.Role, nullID(p.OrganisationID)).Scan(&pid); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE representations SET updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.person_add", Subject: subject(id),
			Details: map[string]any{"person": pid}})
	})
}

// RemovePerson takes participant personID out of act id; staff only.
func (s *Service) RemovePerson(ctx context.Context, id, personID int64, actor access.Actor) error {
	if err := staffRecord(id, actor); err != nil {
		return err
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM delegation_people WHERE id = $1 AND representation_id = $2`, personID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return store.NotFound("person %d of representation %d", personID, id)
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, `UPDATE representations SET updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.person_remove", Subject: subject(id),
			Details: map[string]any{"person": personID}})
	})
}

// MaxDocumentSize bounds a document, in bytes.
const MaxDocumentSize = 20 << 20

// AddDocument stores a PDF (checked by its content) for act id; the same
// file twice is stored once. Staff only.
func (s *Service) AddDocument(ctx context.Context, id int64, name string, content []byte, actor access.Actor) error {
	if err := staffRecord(id, actor); err != nil {
		return err
	}
	switch {
	case len(content) == 0:
		return valid.FieldError{Field: "file", Message: "le fichier est vide"}
	case len(content) > MaxDocumentSize:
		return valid.FieldError{Field: "file", Message: "le fichier dépasse 20 Mo"}
	case !bytes.HasPrefix(content, []byte("%PDF-")):
		return valid.FieldError{Field: "file", Message: "le document doit être un PDF (son contenu n’en est pas un, quel que soit son nom)"}
	}
	sum := sha256.Sum256(content)
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := kindOf(ctx, tx, id); err != nil {
			return err
		}
		now := s.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO representation_documents (representation_id, filename, size, sha256, content, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (representation_id, sha256) DO NOTHING`,
			id, cleanFilename(name), len(content), hex.EncodeToString(sum[:]), content, now)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Entry{At: now, Actor: actor, Action: "representation.document", Subject: subject(id),
			Details: map[string]any{"size": len(content)}})
	})
}

// DocumentFile returns document docID of act id with its content; staff
// only.
func (s *Service) DocumentFile(ctx context.Context, id, docID int64, actor access.Actor) (Document, []byte, error) {
	if err := staffRecord(id, actor); err != nil {
		return Document{}, nil, err
	}
	var d Document
	var content []byte
	err := s.db.QueryRowContext(ctx, `SELECT id, filename, size, uploaded_at, content FROM representation_documents WHERE id = $1 AND representation_id = $2`,
		docID, id).Scan(&d.ID, &d.Filename, &d.Size, &d.UploadedAt, &content)
	if errors.Is(err, sql.ErrNoRows) {
		return Document{}, nil, store.NotFound("document %d", docID)
	}
	return d, content, err
}

// cleanFilename keeps the base name, printable, ending in .pdf.
func cleanFilename(name string) string {
	name = filepath.Base(strings.ReplaceAll(strings.ToValidUTF8(name, ""), "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if len(name) > 120 {
		name = strings.ToValidUTF8(name[:120], "")
	}
	if name == "" || name == "." {
		name = "document"
	}
	if !strings.HasSuffix(strings.ToLower(name), ".pdf") {
		name += ".pdf"
	}
	return name
}
