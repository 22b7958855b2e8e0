package report

// Definition is what a figure means: its label, unit and formula, in
// French. The formulas are the report's own, versioned by FormulasVersion.
type Definition struct {
	Key, Label string
	Unit       Unit
	Formula    string
}

// year is how the formulas name the period.
const year = "du 1er janvier au 31 décembre de l’année"

// Formulas lists the figures of the report, section by section, in the
// order they are shown. The audiences' figures (one per account) follow
// the communication's, with the formula of package audience.
var Formulas = []Definition{
	{"representation.hearings", "Auditions", Count, "Nombre d’auditions tenues " + year + " devant une instance publique (Gouvernement, Parlement, think tank public…)."},
	{"representation.notes", "Notes remises", Count, "Nombre de notes et contributions remises à une autorité publique " + year + "."},
	{"representation.meetings", "Réunions avec des instances nationales", Count, "Nombre de réunions de travail avec une instance nationale " + year + "."},
	{"representation.agencies_in_delegations", "Agences membres d’une délégation", Count, "Nombre d’agences distinctes ayant fait partie de la délégation d’au moins une audition de l’année."},

	{"partners.agreements", "Conventions avec les membres associés", Count, "Nombre de conventions de partenariat de l’année."},
	{"partners.agreements_eur", "Montant des conventions", Euros, "Somme des montants des conventions de l’année, en euros."},
	{"partners.counterparts_due", "Contreparties prévues", Count, "Nombre de contreparties des conventions de l’année, livrées ou non (les contreparties abandonnées exclues)."},
	{"partners.counterparts_delivered", "Contreparties livrées", Count, "Nombre de contreparties des conventions de l’année livrées, chacune reliée à ce qui l’a livrée (webinaire, publication…)."},

	{"communication.press_mentions", "Retombées presse", Count, "Nombre d’articles parus " + year + " qui citent la fédération, toutes portées confondues."},
	{"communication.press_national", "dont presse nationale", Count, "Articles de l’année parus dans un média national."},
	{"communication.press_regional", "dont presse régionale", Count, "Articles de l’année parus dans un média régional ou local."},
	{"communication.press_trade", "dont presse spécialisée", Count, "Articles de l’année parus dans la presse spécialisée (collectivités, développement économique)."},
	{"communication.newsletter_campaigns", "Lettres d’information envoyées", Count, "Nombre de campagnes dont l’envoi a commencé " + year + "."},
	{"communication.newsletter_open_rate", "Taux d’ouverture", Rate, "Ouvreurs humains uniques ÷ envois délivrés suivis (destinataires ayant accepté la mesure d’audience). Les ouvertures par des machines (relais de confidentialité qui chargent tout message à l’arrivée, analyseurs de liens, automates) sont exclues."},
	{"communication.newsletter_click_rate", "Taux de clics", Rate, "Cliqueurs humains uniques ÷ envois délivrés suivis ; les clics d’analyseurs de liens et d’automates sont exclus."},
	{"communication.newsletter_naive_open_rate", "Taux d’ouverture brut (machines comprises)", Rate, "Ouvreurs uniques, machines comprises ÷ envois délivrés suivis : le taux que donnerait un outil naïf, affiché pour comparaison."},

	{"network.members", "Adhérents", Count, "Nombre d’organisations dont l’adhésion de l’année est réglée ou en attente de règlement."},
	{"network.memberships_paid", "Cotisations réglées", Count, "Nombre d’adhésions de l’année dont la cotisation est réglée."},
	{"network.events", "Événements", Count, "Nombre d’événements (webinaires, rencontres, forum, visites) qui commencent " + year + ", ceux à venir compris."},
	{"network.event_participants", "Participants aux événements", Count, "Nombre d’inscriptions confirmées marquées présentes aux événements de l’année."},
	{"network.trainings", "Sessions de formation", Count, "Nombre de sessions de formation qui commencent " + year + " (MOOC : sessions déclarées)."},
	{"network.trainings_trainees", "Stagiaires formés", Count, "Nombre d’inscriptions confirmées aux sessions de l’année (MOOC : inscrits déclarés) ; une personne inscrite à deux sessions compte deux fois."},
	{"network.training_hours", "Heures-stagiaires", Count, "Somme, pour chaque stagiaire des sessions de l’année, des heures des demi-journées qu’il a émargées."},
	{"network.training_satisfaction", "Satisfaction des stagiaires", Rate, "Questionnaires de satisfaction des sessions de l’année dont la moyenne des quatre notes atteint 4 sur 5 ÷ questionnaires remplis."},
	{"network.publications", "Publications", Count, "Nombre de publications (guides, études, notes, entretiens, replays) publiées " + year + ", tous publics."},
	{"network.publication_downloads", "Téléchargements de publications", Count, "Téléchargements de l’année, comptés une fois par visiteur et par jour ; les robots et automates sont exclus."},

	{"expertise.needs", "Besoins reçus", Count, "Nombre de besoins d’ingénierie déposés " + year + " (date de dépôt)."},
	{"expertise.missions_created", "Missions engagées", Count, "Nombre de missions créées " + year + " (le demandeur a choisi son expert)."},
	{"expertise.missions_closed", "Missions clôturées", Count, "Nombre de missions clôturées " + year + "."},
	{"expertise.mission_days", "Jours d’expertise réalisés", Days, "Somme des demi-journées saisies par les experts " + year + ", divisée par deux."},
	{"expertise.experts_mobilised", "Experts mobilisés", Count, "Nombre d’experts distincts ayant saisi au moins une demi-journée de mission dans l’année."},
	{"expertise.reviews", "Évaluations reçues", Count, "Nombre d’avis donnés par les demandeurs " + year + "."},
	{"expertise.mean_review", "Note moyenne des missions", Score, "Moyenne des notes (1 à 5) des avis donnés dans l’année."},
	{"expertise.cost_eur", "Coût des missions engagées", Euros, "Pour chaque mission engagée dans l’année : jours (saisis, sinon prévus) × tarif journalier de l’expert ; somme."},
	{"expertise.savings_eur", "Économie estimée face à un cabinet privé", Euros, "Pour chaque mission engagée dans l’année : jours (saisis, sinon prévus) × tarif de référence d’un cabinet privé pour son domaine − coût de la mission ; somme."},
}

// definition returns the definition of key.
func definition(key string) Definition {
	for _, d := range Formulas {
		if d.Key == key {
			return d
		}
	}
	panic("report: no definition of " + key)
}

// sections are the parts of the report in order, with their French
// titles and introductions.
var sections = []struct{ Key, Title, Intro string }{
	{"representation", "Représentation et promotion des membres", "Auditions devant les instances publiques avec une délégation d’agences membres, notes remises aux autorités, relations avec les instances nationales."},
	{"partners", "Membres associés", "Conventions avec les grandes entreprises et organismes publics membres associés, et leurs contreparties."},
	{"communication", "Communication", "Audiences des réseaux sociaux et du site, lettres d’information et retombées presse."},
	{"network", "Vie du réseau", "Adhérents, événements, formations et publications."},
	{"expertise", "Missions d’expertise", "Besoins des collectivités, missions des experts du vivier, jours réalisés et économie estimée face aux cabinets privés."},
}
