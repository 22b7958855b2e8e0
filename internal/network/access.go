package network

import (
	"context"
	"database/sql"
	"errors"

	"vivier/internal/access"
	"vivier/internal/store"
)

// Qui peut quoi dans le réseau, décidé ici une fois pour les pages, l’API
// et la ligne de commande :
//   - l’annuaire public montre à tous les adhérents à jour qui ont accepté
//     d’y figurer (nom, type, territoire, site, logo, thèmes) ;
//   - l’annuaire des adhérents (coordonnées, équipes) est réservé à la
//     coordination et au personnel des adhérents à jour — adhésion de
//     l’année réglée, ou celle de l’an dernier pendant le délai de grâce ;
//     le personnel d’un adhérent qui n’est plus à jour est refusé, avec la
//     raison (NotCurrentError) ;
//   - les cotisations, factures, appels de cotisation et l’engagement d’un
//     adhérent se voient par la coordination et par son propre personnel,
//     même quand l’adhésion a expiré (c’est pour la régler) ; jamais par un
//     autre adhérent ;
//   - la fiche d’un adhérent se modifie par la coordination et par ses
//     référents, qui invitent aussi leurs collègues ;
//   - le barème, le délai de grâce et le délai de paiement se règlent par
//     un administrateur ;
//   - l’adhésion de nouveaux membres, le renouvellement, les paiements, les
//     ajustements de montant, les partenaires et le tableau d’engagement
//     sont à la coordination.
// Un adhérent qu’on ne peut pas voir est « introuvable ».

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination de la fédération peut faire cela")
	}
	return nil
}

// ownOrganisation reports whether actor is on the staff of organisation
// orgID (role member).
func ownOrganisation(actor access.Actor, orgID int64) bool {
	return orgID != 0 && actor.Is(access.Member) && actor.OrganisationID == orgID
}

// mayManage reports whether actor sees the private records of member
// orgID (memberships, fees, invoices, engagement): staff, or its own staff.
func mayManage(actor access.Actor, orgID int64) bool {
	return actor.Staff() || ownOrganisation(actor, orgID)
}

// NotCurrentError refuses a member-only page to the staff of a member whose
// membership is not current, and says why; it is a refusal
// (access.Forbidden) whose message a page shows as it is.
type NotCurrentError struct {
	Organisation string
	Reason       string // « l’adhésion 2027 … n’est pas réglée et le délai de grâce a pris fin le 31 mars 2027 »
}

// Error is the reason, in French.
func (e *NotCurrentError) Error() string { return e.Reason }

// Unwrap makes the error a refusal for access.CodeOf.
func (e *NotCurrentError) Unwrap() error {
	return &access.Error{Code: access.Forbidden, Message: e.Reason}
}

// memberArea lets actor into the member-only pages: staff, and the staff
// of a current member; the staff of a member no longer current get a
// NotCurrentError saying why, anyone else a refusal.
func (s *Service) memberArea(ctx context.Context, actor access.Actor) error {
	switch {
	case actor.Staff():
		return nil
	case !actor.Is(access.Member) || actor.OrganisationID == 0:
		return access.Deny("l’annuaire des adhérents est réservé aux agences adhérentes et à la fédération")
	}
	st, err := s.standing(ctx, s.db, actor.OrganisationID)
	if err != nil {
		return err
	}
	if !st.Current {
		return &NotCurrentError{Organisation: st.Name, Reason: st.Reason}
	}
	return nil
}

// isReferent reports whether actor is a referent of organisation orgID.
func isReferent(ctx context.Context, q store.Querier, actor access.Actor, orgID int64) (bool, error) {
	if !ownOrganisation(actor, orgID) {
		return false, nil
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM member_referents WHERE user_id = $1 AND organisation_id = $2`, actor.UserID, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// mayEdit refuses an action on member orgID to anyone but staff and its
// referents: « not found » to who may not see the member at all.
func (s *Service) mayEdit(ctx context.Context, q store.Querier, orgID int64, actor access.Actor) error {
	var exists int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM members WHERE organisation_id = $1`, orgID).Scan(&exists)
	if err := one(err, "member %d", orgID); err != nil {
		return err
	}
	if actor.Staff() {
		return nil
	}
	if !ownOrganisation(actor, orgID) {
		if err := s.memberArea(ctx, actor); err != nil {
			return store.NotFound("member %d", orgID)
		}
		return access.Deny("seuls la coordination et les référents de l’adhérent modifient sa fiche")
	}
	ok, err := isReferent(ctx, q, actor, orgID)
	if err != nil {
		return err
	}
	if !ok {
		return access.Deny("seuls les référents de votre organisation modifient sa fiche et invitent ses collègues")
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
