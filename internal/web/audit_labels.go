package web

import (
	"strings"

	"vivier/internal/audit"
	"vivier/internal/expert"
	"vivier/internal/mission"
	"vivier/internal/need"
)

// The audit log reads in French: each action named by its object and what
// was done, status changes « de déposé à qualifié », objects as links.

// auditObjects name the domain of an action code (its part before the dot).
var auditObjects = map[string]string{
	"account": "Compte", "user": "Compte", "session": "Session", "token": "Jeton d’accès", "need": "Besoin", "expert": "Expert",
	"mission": "Mission", "proposal": "Proposition", "skill": "Compétence", "match": "Classement", "network": "Réseau",
	"newsletter": "Lettre d’information", "training": "Formation", "event": "Événement", "publication": "Publication",
	"press": "Presse", "representation": "Représentation", "audience": "Audiences", "report": "Rapport d’activité",
	"security": "Sécurité", "gdpr": "Données personnelles", "import": "Import", "export": "Export", "settings": "Réglages",
}

// auditVerbs name what was done (the part after the dot), by word.
var auditVerbs = map[string]string{
	"status": "changement de statut", "create": "création", "created": "création", "update": "modification", "updated": "modification",
	"delete": "suppression", "deleted": "suppression", "submit": "dépôt confirmé", "submission": "dépôt en attente de confirmation",
	"submissions_expired": "dépôts non confirmés effacés", "login": "connexion", "login_failed": "connexion refusée", "logout": "déconnexion",
	"import": "import", "export": "export", "rename": "changement de libellé", "add": "ajout", "remove": "retrait", "invited": "invitation",
	"suspended": "suspension", "reactivated": "réactivation", "erased": "effacement", "answer": "réponse", "choose": "choix",
	"chosen": "choix", "review": "avis", "pooled": "mutualisation", "sent": "envoi", "scheduled": "programmation", "cancelled": "annulation",
	"enrolled": "inscription", "signed": "émargement", "countersigned": "contresignature", "joined": "adhésion",
}

// auditAction names an action code for people: "need.status" → « Besoin :
// changement de statut »; an unknown code keeps its words.
func auditAction(code string) string {
	domain, what, _ := strings.Cut(code, ".")
	obj := auditObjects[domain]
	if obj == "" {
		obj = domain
	}
	verb := auditVerbs[what]
	if verb == "" {
		verb = strings.ReplaceAll(what, "_", " ")
	}
	return obj + " : " + verb
}

// auditChange says a status change of the entry in words: « de déposé à
// qualifié »; "" when the entry is no status change.
func auditChange(l audit.Line) string {
	from, _ := l.Details["from"].(string)
	to, ok := l.Details["to"].(string)
	if !ok {
		return ""
	}
	label := func(s string) string { return s }
	switch {
	case strings.HasPrefix(l.Action, "need."):
		label = func(s string) string { return need.Status(s).Label() }
	case strings.HasPrefix(l.Action, "mission."):
		label = func(s string) string { return mission.Status(s).Label() }
	case strings.HasPrefix(l.Action, "expert."):
		label = func(s string) string { return expert.Status(s).Label() }
	}
	if from == "" {
		return "à " + label(to)
	}
	return "de " + label(from) + " à " + label(to)
}

// auditSubject is the object of an entry as a page names and links it:
// "need:12" → « besoin « Attractivité de Clion » », /besoins/12; a record
// whose name is unknown (gone, or a kind without one) keeps its number.
type auditSubject struct{ Text, Link string }

var auditPages = map[string]struct{ noun, path string }{
	"need": {"besoin", "/besoins/"}, "expert": {"expert", "/experts/"}, "mission": {"mission", "/missions/"},
	"proposal": {"proposition", "/propositions/"}, "event": {"événement", "/admin/evenements/"}, "training": {"formation", "/admin/formations/"},
	"session": {"session de formation", "/admin/sessions/"}, "campaign": {"campagne", "/admin/campagnes/"},
	"newsletter_list": {"liste de diffusion", "/admin/lettres/"}, "member": {"adhérent", "/reseau/adherents/"},
	"partner": {"partenaire", "/reseau/partenaires/"}, "membership": {"adhésion", "/reseau/adhesions/"},
	"representation": {"représentation", "/representation/"}, "publication": {"publication", "/publications/"},
	"press_mention": {"retombée presse", "/presse/"}, "audience_account": {"audience", "/audiences/"},
	"user": {"compte", "/admin/journal?personne="},
}

func auditSubjectOf(l audit.Line) auditSubject {
	kind, id, ok := strings.Cut(l.Subject, ":")
	page, known := auditPages[kind]
	if !ok || !known || strings.Trim(id, "0123456789") != "" || id == "" {
		return auditSubject{Text: l.Subject}
	}
	text := page.noun + " n° " + id
	if l.SubjectTitle != "" {
		text = page.noun + " « " + l.SubjectTitle + " »"
	}
	return auditSubject{Text: text, Link: page.path + id}
}
