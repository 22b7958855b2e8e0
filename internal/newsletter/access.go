package newsletter

import (
	"vivier/internal/access"
)

// Who may do what with newsletters, decided here once for the pages, the API
// and the command line:
//   - la coordination (staff) et Vivier lui-même gèrent les listes, les
//     abonnés, les imports et exports, les campagnes et leurs chiffres ;
//   - n’importe qui s’inscrit aux listes publiques par le formulaire du site
//     (double confirmation par courriel), et gère ses abonnements sans
//     compte avec le lien signé reçu dans chaque lettre (préférences,
//     désinscription en un clic) : le jeton du lien est la preuve ;
//   - une personne connectée (expert, membre d’une agence, demandeur)
//     s’abonne aux listes publiques avec l’adresse de son compte ;
//   - une liste privée n’existe pas pour qui n’est pas de la coordination
//     (« introuvable »), pas plus que les campagnes et les abonnés.

// staffOnly refuses an actor who is not staff.
func staffOnly(actor access.Actor) error {
	if !actor.Staff() {
		return access.Deny("seule la coordination gère les lettres d’information")
	}
	return nil
}

// signedInOnly refuses an actor without an account.
func signedInOnly(actor access.Actor) error {
	if !actor.SignedIn() {
		return access.Deny("connectez-vous pour gérer vos abonnements")
	}
	return nil
}

// mayViewList reports whether actor sees list l: staff all, others the
// public ones.
func mayViewList(actor access.Actor, l List) bool { return actor.Staff() || l.Public }
