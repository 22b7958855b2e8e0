package network

import (
	"context"
	"database/sql"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"vivier/internal/access"
	"vivier/internal/audit"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/skill"
	"vivier/internal/valid"
)

// JoiningKinds are the kinds of organisation that may join the network.
func JoiningKinds() []organisation.Kind {
	return []organisation.Kind{organisation.Agence, organisation.Region, organisation.Departement, organisation.EPCI, organisation.Commune}
}

// MemberInput is a member's directory entry as staff or its referents type
// it. Name and SIREN are the organisation's, which only staff change (a
// commune's or an EPCI's come from the reference).
type MemberInput struct {
	Name      string
	SIREN     string
	Address   string
	Website   string
	Email     string
	Phone     string
	Themes    []string // skill domain codes
	Territory []string // "com:01001", "epci:…", "dep:69", "reg:84"
	Basis     int64    // annual budget in euros, or population covered
	Listed    bool
}

// JoinInput is an organisation that joins: one already known
// (OrganisationID), or a new one of Kind — an agency, a region or a
// département typed by hand, an EPCI or a commune found in the geography
// reference by its SIREN —, with its entry and its first referent.
type JoinInput struct {
	OrganisationID int64
	Kind           organisation.Kind
	MemberInput
	Referent Invitation // optional: no email, no referent yet
}

// text checks a free text field: valid UTF-8, no control characters but
// line breaks when multiline, at most max bytes.
func text(errs *valid.Errors, field, s string, max int, multiline bool) string {
	s = strings.TrimSpace(s)
	bad := strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	})
	switch {
	case !utf8.ValidString(s) || bad:
		errs.Add(field, "ce texte contient des caractères invalides")
	case len(s) > max:
		errs.Add(field, "%s caractères au plus", fr.Int(int64(max)))
	}
	return s
}

// checkEntry normalises the directory fields of in and lists what is wrong.
func (s *Service) checkEntry(in MemberInput, errs *valid.Errors) (MemberInput, []place) {
	in.Address = text(errs, "address", in.Address, 500, true)
	in.Website = text(errs, "website", in.Website, 300, false)
	if in.Website != "" {
		u, err := url.Parse(in.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs.Add("website", "écrivez l’adresse complète du site, https://…")
		}
	}
	in.Email = strings.ToLower(text(errs, "email", in.Email, 200, false))
	if in.Email != "" {
		if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email {
			errs.Add("email", "cette adresse électronique n’est pas valide : elle s’écrit nom@domaine.fr")
		}
	}
	in.Phone = text(errs, "phone", in.Phone, 30, false)
	if strings.Trim(in.Phone, "0123456789 +.()-") != "" {
		errs.Add("phone", "un numéro de téléphone s’écrit avec des chiffres, des espaces et +")
	}
	var themes []string
	for _, t := range in.Themes {
		t = strings.TrimSpace(t)
		if t == "" || slices.Contains(themes, t) {
			continue
		}
		if _, ok := skill.DomainOf(t); !ok || strings.Contains(t, ".") {
			errs.Add("themes", "thème %s inconnu : les thèmes sont les domaines de compétences (attractivite, filieres, entreprises, management, strategie)", fr.Quote(t))
			continue
		}
		themes = append(themes, t)
	}
	in.Themes = themes
	places, err := parseTerritory(s.geo, in.Territory)
	if err != nil {
		errs.Add("territory", "%s", err.Error())
	}
	in.Territory = nil
	for _, p := range places {
		in.Territory = append(in.Territory, p.Zone)
	}
	if in.Basis < 0 || in.Basis > MaxBasis {
		errs.Add("basis", "la valeur déclarée va de 0 à %s", fr.Int(MaxBasis))
	}
	return in, places
}

// Join makes an organisation a member: its directory entry, its membership
// of this year (its fee computed from this year's schedule and prorated
// from today, the joining day) and, when an email is given, the invitation
// of its first referent. Staff only. The year's schedule must exist.
func (s *Service) Join(ctx context.Context, in JoinInput, actor access.Actor) (Member, error) {
	if err := staffOnly(actor); err != nil {
		return Member{}, err
	}
	var errs valid.Errors
	entry, places := s.checkEntry(in.MemberInput, &errs)
	in.MemberInput = entry
	in.Name = text(&errs, "name", in.Name, 300, false)
	in.SIREN = organisation.NormalizeSIREN(in.SIREN)
	if in.OrganisationID == 0 {
		switch {
		case !slices.Contains(JoiningKinds(), in.Kind):
			errs.Add("kind", "une agence, une région, un département, une intercommunalité ou une commune adhère")
		case in.Kind.FromReference() && in.SIREN == "":
			errs.Add("siren", "une intercommunalité ou une commune se retrouve par son SIREN dans le référentiel géographique")
		case !in.Kind.FromReference() && in.Name == "":
			errs.Add("name", "indiquez le nom de l’organisation")
		}
		if in.SIREN != "" {
			if msg := organisation.CheckSIREN(in.SIREN); msg != "" {
				errs.Add("siren", "%s", msg)
			}
		}
	}
	in.Referent.Name = strings.TrimSpace(in.Referent.Name)
	in.Referent.Email = strings.TrimSpace(in.Referent.Email)
	if in.Referent.Email == "" && in.Referent.Name != "" {
		errs.Add("referent_email", "indiquez l’adresse électronique du référent : l’invitation y sera envoyée")
	}
	if err := errs.Err(); err != nil {
		return Member{}, err
	}
	var id int64
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		org, err := s.joiningOrganisation(ctx, tx, in)
		if err != nil {
			return err
		}
		id = org.ID
		if err := s.insertMember(ctx, tx, org, in.MemberInput, places, s.today().Year); err != nil {
			return err
		}
		if _, err := s.createMembership(ctx, tx, id, s.today().Year, s.today()); err != nil {
			return err
		}
		if in.Referent.Email != "" {
			in.Referent.Referent = true
			if _, err := s.invite(ctx, tx, id, in.Referent, actor); err != nil {
				return renameField(err, map[string]string{"email": "referent_email", "name": "referent_name"})
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.member_joined", Subject: subject("member", id),
			Details: map[string]any{"kind": string(org.Kind)}})
	})
	if err != nil {
		return Member{}, err
	}
	return s.getMember(ctx, s.db, id)
}

// joiningOrganisation finds or creates the organisation of in, inside tx.
func (s *Service) joiningOrganisation(ctx context.Context, tx *sql.Tx, in JoinInput) (organisation.Organisation, error) {
	var org organisation.Organisation
	var err error
	switch {
	case in.OrganisationID != 0:
		org, err = organisation.Get(ctx, tx, in.OrganisationID)
		if isNotFound(err) {
			return org, fieldError("organisation_id", "aucune organisation n’a le numéro %d", in.OrganisationID)
		}
	case in.Kind == organisation.EPCI:
		if _, ok := s.geo.EPCI(in.SIREN); !ok {
			return org, fieldError("siren", "aucune intercommunalité du référentiel n’a le SIREN %s", in.SIREN)
		}
		org, err = organisation.EnsureEPCI(ctx, tx, s.geo, in.SIREN)
	case in.Kind == organisation.Commune:
		code := ""
		for c := range s.geo.Communes() {
			if c.SIREN == in.SIREN {
				code = c.Code
				break
			}
		}
		if code == "" {
			return org, fieldError("siren", "aucune commune du référentiel n’a le SIREN %s", in.SIREN)
		}
		org, err = organisation.EnsureCommune(ctx, tx, s.geo, code)
	default:
		var known int64
		if in.SIREN != "" {
			if qerr := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE siren = $1`, in.SIREN).Scan(&known); qerr != nil && qerr != sql.ErrNoRows {
				return org, qerr
			}
		}
		if known != 0 {
			org, err = organisation.Get(ctx, tx, known)
		} else {
			org, err = organisation.CreateTx(ctx, tx, organisation.Input{Kind: in.Kind, Name: in.Name, SIREN: in.SIREN})
		}
	}
	if err != nil {
		return org, err
	}
	if !slices.Contains(JoiningKinds(), org.Kind) {
		return org, fieldError("kind", "%s ne peut pas adhérer : une agence, une région, un département, une intercommunalité ou une commune adhère", fr.Quote(org.Name))
	}
	var member int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM members WHERE organisation_id = $1`, org.ID).Scan(&member)
	switch {
	case err == nil:
		return org, fieldError("siren", "%s est déjà adhérente", fr.Quote(org.Name))
	case err != sql.ErrNoRows:
		return org, err
	}
	return org, nil
}

// insertMember writes the entry of a new member inside tx.
func (s *Service) insertMember(ctx context.Context, tx *sql.Tx, org organisation.Organisation, in MemberInput, places []place, joined int) error {
	now := s.now()
	_, err := tx.ExecContext(ctx, `INSERT INTO members (organisation_id, address, website, email, phone, themes, basis, listed, joined_year,
		created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)`,
		org.ID, in.Address, in.Website, in.Email, in.Phone, strings.Join(in.Themes, "|"), in.Basis, in.Listed, joined, now)
	if err != nil {
		return fmt.Errorf("insert member %d: %w", org.ID, err)
	}
	return writeTerritory(ctx, tx, org.ID, places)
}

// writeTerritory replaces the territory of member id inside tx.
func writeTerritory(ctx context.Context, tx *sql.Tx, id int64, places []place) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM member_territories WHERE organisation_id = $1`, id); err != nil {
		return err
	}
	for i, p := range places {
		for _, d := range p.Departements {
			if _, err := tx.ExecContext(ctx, `INSERT INTO member_territories (organisation_id, zone, departement, region, position)
				VALUES ($1, $2, $3, $4, $5)`, id, p.Zone, d, p.Region, i); err != nil {
				return fmt.Errorf("territory of member %d: %w", id, err)
			}
		}
	}
	return nil
}

// UpdateMember changes the directory entry of member id; staff and the
// member's referents may, but only staff change the organisation's name and
// SIREN. A declared basis applies to the fees computed afterwards. It
// reports whether anything changed (nothing is audited otherwise).
func (s *Service) UpdateMember(ctx context.Context, id int64, in MemberInput, actor access.Actor) (bool, error) {
	if err := s.mayEdit(ctx, s.db, id, actor); err != nil {
		return false, err
	}
	var errs valid.Errors
	in, places := s.checkEntry(in, &errs)
	if err := errs.Err(); err != nil {
		return false, err
	}
	changed := false
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		old, err := s.getMember(ctx, tx, id)
		if err != nil {
			return err
		}
		renamed := false
		if org := organisation.NormalizeSIREN(in.SIREN); strings.TrimSpace(in.Name) != old.Name || org != old.SIREN {
			if !actor.Staff() {
				return fieldError("name", "seule la coordination change le nom et le SIREN de l’organisation")
			}
			if renamed, err = organisation.UpdateTx(ctx, tx, id, organisation.Input{Name: in.Name, SIREN: in.SIREN}); err != nil {
				return err
			}
		}
		same := old.Address == in.Address && old.Website == in.Website && old.Email == in.Email && old.Phone == in.Phone &&
			slices.Equal(old.Themes, in.Themes) && slices.Equal(old.Territory, in.Territory) && old.Basis == in.Basis && old.Listed == in.Listed
		if same && !renamed {
			return nil
		}
		changed = true
		if !same {
			if _, err := tx.ExecContext(ctx, `UPDATE members SET address = $1, website = $2, email = $3, phone = $4, themes = $5, basis = $6,
				listed = $7, updated_at = $8 WHERE organisation_id = $9`, in.Address, in.Website, in.Email, in.Phone,
				strings.Join(in.Themes, "|"), in.Basis, in.Listed, s.now(), id); err != nil {
				return err
			}
			if !slices.Equal(old.Territory, in.Territory) {
				if err := writeTerritory(ctx, tx, id, places); err != nil {
					return err
				}
			}
		}
		return audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.member_updated", Subject: subject("member", id),
			Details: map[string]any{"basis_changed": old.Basis != in.Basis, "listed": in.Listed, "renamed": renamed}})
	})
	return changed, err
}

// renameField renames the fields of validation errors (an invitation's
// "email" is the join form's "referent_email").
func renameField(err error, names map[string]string) error {
	list, ok := valid.As(err)
	if !ok {
		return err
	}
	out := make(valid.Errors, len(list))
	for i, fe := range list {
		if n, ok := names[fe.Field]; ok {
			fe.Field = n
		}
		out[i] = fe
	}
	return out
}
