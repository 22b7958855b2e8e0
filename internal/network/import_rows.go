package network

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/audit"
	"vivier/internal/date"
	"vivier/internal/fr"
	"vivier/internal/organisation"
	"vivier/internal/valid"
)

// The lines of a members file: each parsed and checked on its own, then
// against the stored organisations and accounts, then written.

// importFields are the columns of the fields of a MemberInput.
var importFields = map[string]string{"address": "adresse", "website": "site", "territory": "territoire", "themes": "themes",
	"basis": "budget", "email": "email_referent", "name": "organisation", "siren": "siren"}

// parseRow parses and checks one line on its own.
func (s *Service) parseRow(line int, cell func(string) string, today date.Date) (ImportRow, []RowError) {
	var errs []RowError
	add := func(col, format string, args ...any) {
		errs = append(errs, RowError{Line: line, Column: col, Message: fmt.Sprintf(format, args...)})
	}
	row := ImportRow{Line: line, Kind: organisation.Agence, Name: cell("organisation"), SIREN: organisation.NormalizeSIREN(cell("siren")),
		ReferentEmail: account.NormaliseEmail(cell("email_referent")), ReferentName: cell("nom_referent"), JoinedYear: today.Year}
	if k := cell("type"); k != "" {
		row.Kind = organisation.Kind(strings.ToLower(k))
		if !slices.Contains(JoiningKinds(), row.Kind) {
			add("type", "type %s inconnu : agence, region, departement, epci ou commune", fr.Quote(k))
		}
	}
	if row.Name == "" {
		add("organisation", "nom vide")
	}
	if msg := organisation.CheckSIREN(row.SIREN); msg != "" {
		add("siren", "%s", msg)
	}
	basisCol := "budget"
	if BasisOf(row.Kind) == Population {
		basisCol = "population"
	}
	var basis int64
	if v := strings.Map(dropSpaces, cell(basisCol)); v == "" {
		add(basisCol, "indiquez le %s déclaré (un nombre entier)", map[string]string{"budget": "budget annuel en euros", "population": "nombre d’habitants couverts"}[basisCol])
	} else if n, err := strconv.ParseInt(v, 10, 64); err != nil || n < 0 || n > MaxBasis {
		add(basisCol, "%s n’est pas un nombre entier de 0 à %s", fr.Quote(cell(basisCol)), fr.Int(MaxBasis))
	} else {
		basis = n
	}
	if row.ReferentEmail == "" {
		add("email_referent", "adresse du référent vide")
	}
	if row.ReferentName == "" {
		row.ReferentName = row.Name
	}
	in := MemberInput{Address: cell("adresse"), Website: cell("site"), Territory: SplitTerritory(cell("territoire")),
		Themes: strings.Split(cell("themes"), "|"), Basis: basis, Email: row.ReferentEmail}
	switch v := strings.ToLower(cell("annuaire_public")); v {
	case "", "non":
	case "oui":
		in.Listed = true
	default:
		add("annuaire_public", "écrivez oui ou non, pas %s", fr.Quote(cell("annuaire_public")))
	}
	if v := cell("annee_adhesion"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1950 || y > today.Year {
			add("annee_adhesion", "%s n’est pas une année de 1950 à %d", fr.Quote(v), today.Year)
		}
		row.JoinedYear = y
	} else {
		// A member imported without its year of joining is no newcomer:
		// its fee is the full year's.
		row.JoinedYear = today.Year - 1
	}
	var verrs valid.Errors
	row.Entry, row.places = s.checkEntry(in, &verrs)
	row.Entry.Email = "" // the referent's address is not the member's contact address
	for _, fe := range verrs {
		add(importFields[fe.Field], "%s", fe.Message)
	}
	return row, errs
}

func dropSpaces(r rune) rune {
	if r == ' ' || r == '\u00a0' || r == '\u202f' || r == '.' {
		return -1
	}
	return r
}

// checkStored checks the rows against the stored organisations and
// accounts, and marks each row created or updated.
func (s *Service) checkStored(ctx context.Context, rep *ImportReport, year int) ([]RowError, error) {
	var errs []RowError
	creates := false
	for i := range rep.Rows {
		row := &rep.Rows[i]
		var orgID int64
		var kind organisation.Kind
		var member bool
		err := s.db.QueryRowContext(ctx, `SELECT o.id, o.kind, m.organisation_id IS NOT NULL FROM organisations o
			LEFT JOIN members m ON m.organisation_id = o.id WHERE o.siren = $1`, row.SIREN).Scan(&orgID, &kind, &member)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return nil, err
		case kind != row.Kind:
			errs = append(errs, RowError{Line: row.Line, Column: "type", Message: fmt.Sprintf("l’organisation de SIREN %s est déjà connue comme %s", row.SIREN, strings.ToLower(kind.Label()))})
		}
		if !member {
			row.Change = "created"
			rep.Created++
			creates = true
			if row.Kind.FromReference() && !s.inReference(row.Kind, row.SIREN) {
				errs = append(errs, RowError{Line: row.Line, Column: "siren", Message: fmt.Sprintf("aucune %s du référentiel géographique n’a le SIREN %s",
					map[organisation.Kind]string{organisation.EPCI: "intercommunalité", organisation.Commune: "commune"}[row.Kind], row.SIREN)})
			}
		} else {
			row.Change = "updated"
			rep.Updated++
		}
		u, err := account.ByEmail(ctx, s.db, row.ReferentEmail)
		switch {
		case isNotFound(err):
		case err != nil:
			return nil, err
		case u.Role != "member" || orgID == 0 || u.OrganisationID != orgID || u.Status == account.Erased:
			errs = append(errs, RowError{Line: row.Line, Column: "email_referent", Message: fmt.Sprintf("l’adresse %s est déjà celle d’un compte qui n’est pas de cette organisation", row.ReferentEmail)})
		}
	}
	if creates {
		if _, err := loadSchedule(ctx, s.db, year); isNotFound(err) {
			errs = append(errs, RowError{Message: fmt.Sprintf("le barème %d n’est pas encore fixé : un administrateur le fixe avant d’importer de nouveaux adhérents", year)})
		} else if err != nil {
			return nil, err
		}
	}
	return errs, nil
}

// inReference reports whether the reference has an EPCI or a commune with
// siren.
func (s *Service) inReference(kind organisation.Kind, siren string) bool {
	if kind == organisation.EPCI {
		_, ok := s.geo.EPCI(siren)
		return ok
	}
	for c := range s.geo.Communes() {
		if c.SIREN == siren {
			return true
		}
	}
	return false
}

// applyRow writes one checked row inside tx; it reports whether a referent
// was invited.
func (s *Service) applyRow(ctx context.Context, tx *sql.Tx, row ImportRow, actor access.Actor) (bool, error) {
	today := s.today()
	var orgID int64
	if row.Change == "created" {
		org, err := s.joiningOrganisation(ctx, tx, JoinInput{Kind: row.Kind, MemberInput: MemberInput{Name: row.Name, SIREN: row.SIREN}})
		if err != nil {
			return false, err
		}
		orgID = org.ID
		if err := s.insertMember(ctx, tx, org, row.Entry, row.places, row.JoinedYear); err != nil {
			return false, err
		}
		joined := date.Date{}
		if row.JoinedYear == today.Year {
			joined = today
		}
		if _, err := s.createMembership(ctx, tx, orgID, today.Year, joined); err != nil {
			return false, err
		}
		if err := audit.Record(ctx, tx, audit.Entry{At: s.now(), Actor: actor, Action: "network.member_joined", Subject: subject("member", orgID),
			Details: map[string]any{"kind": string(row.Kind), "import": true}}); err != nil {
			return false, err
		}
	} else {
		if err := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE siren = $1`, row.SIREN).Scan(&orgID); err != nil {
			return false, err
		}
		old, err := s.getMember(ctx, tx, orgID)
		if err != nil {
			return false, err
		}
		in := row.Entry
		in.Email, in.Phone = old.Email, old.Phone
		if in.Address == "" {
			in.Address = old.Address
		}
		if in.Website == "" {
			in.Website = old.Website
		}
		places := row.places
		if len(in.Territory) == 0 {
			in.Territory = old.Territory
			if places, err = parseTerritory(s.geo, old.Territory); err != nil {
				return false, err
			}
		}
		if len(in.Themes) == 0 {
			in.Themes = old.Themes
		}
		if _, err := tx.ExecContext(ctx, `UPDATE members SET address = $1, website = $2, themes = $3, basis = $4, listed = $5, updated_at = $6
			WHERE organisation_id = $7`, in.Address, in.Website, strings.Join(in.Themes, "|"), in.Basis, in.Listed, s.now(), orgID); err != nil {
			return false, err
		}
		if err := writeTerritory(ctx, tx, orgID, places); err != nil {
			return false, err
		}
	}
	_, err := account.ByEmail(ctx, tx, row.ReferentEmail)
	exists := err == nil
	if err != nil && !isNotFound(err) {
		return false, err
	}
	if _, err := s.invite(ctx, tx, orgID, Invitation{Name: row.ReferentName, Email: row.ReferentEmail, Referent: true}, actor); err != nil {
		return false, err
	}
	return !exists, nil
}
