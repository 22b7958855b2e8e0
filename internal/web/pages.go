package web

import (
	"net/http"
	"strings"

	"vivier/internal/access"
	"vivier/internal/account"
	"vivier/internal/httpkit"
)

// Page is what every page template receives: the layout's needs plus the
// page's own data.
type Page struct {
	Title   string // the <title>, before " · Vivier"
	Demo    bool   // show the demo banner
	Version string
	User    *account.User // the signed-in user, nil otherwise (or while a second factor is owed)
	CSRF    string        // the token every form sends back in its "csrf" field
	Flash   string        // a one-time confirmation shown at the top ("Mot de passe changé.")
	Path    string        // the current path, to mark the navigation
	Data    any           // the page's own data
}

func (s *Server) page(r *http.Request, title string, data any) Page {
	v := httpkit.VisitorOf(r)
	p := Page{Title: title, Demo: s.deps.Demo, Version: s.deps.Version, CSRF: v.CSRF, Path: r.URL.Path, Data: data,
		Flash: flashMessages[r.URL.Query().Get("ok")]}
	if v.SignedIn() {
		p.User = v.User
	}
	return p
}

// flashMessages are the confirmations a redirect after a successful form
// can ask for with ?ok=CODE: codes rather than text in the URL, so that a
// crafted link cannot put words in Vivier's mouth.
var flashMessages = map[string]string{
	"password":        "Votre mot de passe a été changé. Vos autres sessions ont été fermées.",
	"mfa":             "La double authentification est activée.",
	"token-revoked":   "Le jeton a été révoqué.",
	"sessions-closed": "Vos autres sessions ont été fermées.",
	"invited":         "L'invitation a été envoyée.",
	"resent":          "Une nouvelle invitation a été envoyée.",
	"suspended":       "Le compte a été suspendu et ses sessions fermées.",
	"reactivated":     "Le compte a été réactivé.",
	"erased":          "Les données de la personne ont été effacées.",
	"mfa-reset":       "La double authentification du compte a été réinitialisée.",
	"consent":         "Votre consentement a été retiré.",
	"expert-status":   "Le statut de l’expert a été enregistré.",
	"expert-saved":    "Le profil de l’expert a été enregistré.",
	"need-status":     "Le statut du besoin a été enregistré.",
	"skill-added":     "La compétence a été ajoutée.",
	"skill-renamed":   "La compétence a été renommée : la recherche suit le nouveau libellé.",
	"profile-saved":   "Votre profil a été enregistré.",
	"skills-saved":    "Vos compétences ont été enregistrées.",
	"zones-saved":     "Vos zones d’intervention ont été enregistrées.",
	"period-added":    "La période de disponibilité a été ajoutée.",
	"period-removed":  "La période de disponibilité a été supprimée.",
	"cv-saved":        "Votre CV a été déposé.",
	// Proposals and missions (mission_*.go).
	"proposed":       "Les experts ont été proposés et prévenus par courriel.",
	"others":         "Votre demande d’autres experts a été transmise à la coordination.",
	"answered":       "Votre réponse a été enregistrée.",
	"chosen":         "Vous avez choisi votre expert : la mission est créée.",
	"status":         "Le statut de la mission a été changé.",
	"employer":       "La demande d’accord a été envoyée à l’employeur.",
	"day":            "Les jours ont été enregistrés.",
	"file":           "Le livrable a été déposé.",
	"milestone":      "Le jalon a été ajouté.",
	"milestone-done": "Le jalon est marqué comme atteint.",
	"report":         "Le rapport de clôture a été enregistré.",
	"reviewed":       "Merci : votre avis a été enregistré.",
	"rates":          "Les tarifs de référence ont été enregistrés.",
	"mail-pref":      "Votre préférence de courriels a été enregistrée.",
	"checkin":        "Le point de la semaine a été enregistré.",
	"pooled":         "Le besoin a rejoint la mission mutualisée.",
	"plan":           "Le calendrier de la mission a été enregistré.",
	"handover":       "La note de passation a été enregistrée.",
	// Matching (match_*.go).
	"need-grouped":     "Les besoins sont mutualisés : ils sont classés ensemble.",
	"need-ungrouped":   "Le besoin n’est plus mutualisé.",
	"weights":          "La pondération est enregistrée : elle s’applique dès le prochain classement.",
	"conflict-added":   "Le conflit d’intérêts est enregistré : l’expert n’est plus proposé à cette organisation.",
	"conflict-removed": "Le conflit d’intérêts est retiré.",
	// Events and trainings (event_*.go, training_*.go).
	"event-confirmed":        "Votre inscription est confirmée : un courriel vous l’a confirmée, avec l’invitation pour votre agenda.",
	"event-waitlisted":       "L’événement est complet : vous êtes en liste d’attente. Vous serez prévenu par courriel si une place se libère.",
	"event-cancelled":        "Votre inscription est annulée.",
	"event-created":          "L’événement est créé.",
	"event-saved":            "L’événement est enregistré.",
	"counterpart-delivered":  "La contrepartie est réalisée par cet événement : la fiche du partenaire le montre.",
	"registration-cancelled": "L’inscription est annulée ; la place est allée à la liste d’attente s’il y en avait une.",
	"training-enrolled":      "L’inscription est enregistrée ; la personne reçoit une confirmation par courriel.",
	"training-cancelled":     "L’inscription est annulée.",
	"training-signed":        "C’est signé : votre présence est enregistrée.",
	"training-survey":        "Merci : votre avis est enregistré.",
	"training-countersigned": "La demi-journée est contresignée.",
	"training-created":       "La formation est créée.",
	"session-created":        "La session est programmée.",
	"training-mooc":          "Les effectifs du MOOC sont enregistrés.",
	// Network (network_*.go).
	"member-joined":    "L’adhérent est enregistré, avec son adhésion de l’année ; son référent a reçu une invitation.",
	"member-saved":     "La fiche de l’adhérent est enregistrée.",
	"logo":             "Le logo est enregistré.",
	"staff-invited":    "L’invitation est envoyée.",
	"referent":         "Les référents sont mis à jour.",
	"paid":             "Le paiement est enregistré : l’espace des adhérents est ouvert à l’équipe de l’adhérent.",
	"fee":              "Le montant de la cotisation est enregistré, avec son motif.",
	"resigned":         "La démission est enregistrée.",
	"renewed":          "Le renouvellement est fait : adhésions créées, appels de cotisation envoyés aux référents.",
	"reminded":         "Les relances des cotisations en retard sont envoyées.",
	"partner":          "Le partenaire est enregistré.",
	"agreement":        "La convention est enregistrée.",
	"agreement-pdf":    "La convention signée est déposée.",
	"counterpart":      "La contrepartie est enregistrée.",
	"schedule":         "Le barème est enregistré : il s’applique aux cotisations calculées désormais.",
	"network-settings": "Le délai de grâce et le délai de paiement sont enregistrés.",
	// Newsletters (newsletter_*.go).
	"lettre-inscription":    "Merci ! Si une lettre demande une confirmation, un courriel vient de vous être envoyé : ouvrez son lien pour confirmer votre inscription.",
	"lettre-confirmee":      "Votre inscription est confirmée. Vous pouvez gérer vos abonnements ici à tout moment.",
	"lettre-preferences":    "Vos choix sont enregistrés.",
	"lettre-desabonne-tout": "Vous êtes désabonné de toutes les lettres : votre adresse ne recevra plus rien.",
	"lettre-effacee":        "Vos données sont effacées. Votre adresse reste seulement sur la liste des adresses à ne plus jamais écrire.",
	"liste-creee":           "La liste est créée.",
	"import-abonnes":        "Le fichier est importé.",
	"campagne-enregistree":  "La campagne est enregistrée.",
	"campagne-essai":        "L’essai est envoyé aux adresses indiquées.",
	"campagne-envoi":        "L’envoi a commencé : la progression s’affiche ci-dessous.",
	"campagne-programmee":   "L’envoi est programmé.",
	"campagne-pause":        "L’envoi est en pause : les messages en cours partent, les autres attendent.",
	"campagne-reprise":      "L’envoi reprend.",
	"campagne-annulation":   "La campagne est annulée : les messages pas encore envoyés ne le seront pas.",
	// Publications, press, representation, audiences, the report (report_*.go).
	"publication-saved": "La publication est enregistrée.",
	"mention-saved":     "La retombée presse est enregistrée.",
	"act-saved":         "L’acte de représentation est enregistré.",
	"delegation":        "La délégation est mise à jour.",
	"person":            "Les participants sont mis à jour.",
	"document":          "Le document est déposé.",
	"account-saved":     "Le compte est créé.",
	"count-saved":       "Le relevé est enregistré.",
	"report-published":  "Le rapport est publié : ses chiffres sont figés.",
	"press-imported":    "Le fichier des retombées presse est importé.",
	"counts-imported":   "Le fichier des relevés d’audience est importé.",
}

// render writes a page, logging a template failure once and showing the user
// a plain message.
//
// A form shown again with its errors (422) says so first in its title, so
// that a screen reader announces the failure before anything else.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p Page) {
	if status == http.StatusUnprocessableEntity && !strings.HasPrefix(p.Title, "Erreur") {
		p.Title = "Erreur : " + p.Title
	}
	if err := s.pages.Render(w, status, name, p); err != nil {
		s.deps.Logger.Error("render page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "Une erreur interne est survenue. Merci de réessayer plus tard.", http.StatusInternalServerError)
	}
}

// serverError logs err once and shows the user a plain French page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if access.CodeOf(err) == access.Unavailable {
		s.unavailable(w, r, err)
		return
	}
	s.deps.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "request_id", httpkit.RequestID(r), "err", err)
	if httpkit.IsAPI(r) {
		httpkit.WriteAPIError(w, http.StatusInternalServerError, "internal", "erreur interne : réessayez plus tard", "")
		return
	}
	s.render(w, r, http.StatusInternalServerError, "error", s.page(r, "Erreur interne",
		errorPage{Message: "Une erreur interne est survenue. Merci de réessayer plus tard ; si elle persiste, prévenez la fédération."}))
}

// errorTitles are the titles of the pages that answer a refused action.
var errorTitles = map[access.Code]string{
	access.Forbidden:   "Accès refusé",
	access.Conflict:    "Action impossible",
	access.Invalid:     "Demande invalide",
	access.Unavailable: "Service momentanément indisponible",
	access.TooMany:     "Trop de demandes",
}

// fail answers a page whose action failed with err, by its code: « not
// found » with the 404 page, a refusal or a conflict with a page saying
// why, anything else as a logged server error.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := access.CodeOf(err)
	switch code {
	case access.NotFound:
		s.notFound(w, r)
	case access.Forbidden, access.Conflict, access.Invalid, access.TooMany:
		s.render(w, r, httpkit.StatusOf(code), "error", s.page(r, errorTitles[code], errorPage{Message: access.MessageOf(err, "")}))
	case access.Unavailable:
		s.unavailable(w, r, err)
	default:
		s.serverError(w, r, err)
	}
}

// unavailable answers 503 with Retry-After when the database cannot answer
// now (down, or its writer busy past the timeout): the visitor is asked to
// try again, a client keeps its token and its session, and nothing was
// written.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.deps.Logger.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "request_id", httpkit.RequestID(r), "err", err)
	w.Header().Set("Retry-After", "5")
	const msg = "Vivier est momentanément indisponible : rien n’a été enregistré, réessayez dans quelques secondes."
	if httpkit.IsAPI(r) {
		httpkit.WriteAPIError(w, http.StatusServiceUnavailable, string(access.Unavailable), msg, "")
		return
	}
	s.render(w, r, http.StatusServiceUnavailable, "error", s.page(r, errorTitles[access.Unavailable], errorPage{Message: msg}))
}

// errorPage is the data of the error template.
type errorPage struct{ Message string }

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", s.page(r, "Accueil", nil))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if httpkit.IsAPI(r) {
		httpkit.WriteAPIError(w, http.StatusNotFound, "not_found", "aucune ressource à cette adresse", "")
		return
	}
	s.render(w, r, http.StatusNotFound, "not_found", s.page(r, "Page introuvable", nil))
}

// redirect sends the browser to path after a successful form (303, so a
// reload does not post again).
func redirect(w http.ResponseWriter, r *http.Request, path string) {
	http.Redirect(w, r, path, http.StatusSeeOther)
}
