package demo

// Common French first and last names (INSEE birth and surname frequencies
// give the flavour, not the exact ranking), accents included, so that demo
// lists, sorting and accent-insensitive search look like the real pool.
var (
	firstNames = []string{
		"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Christine", "Valérie", "Sandrine", "Véronique",
		"Hélène", "Élodie", "Aurélie", "Céline", "Stéphanie", "Émilie", "Julie", "Claire", "Anne", "Cécile",
		"Chloé", "Léa", "Zoé", "Maëlle", "Noémie", "Gaëlle", "Mélanie", "Agnès", "Béatrice", "Françoise",
		"Thérèse", "Brigitte", "Laurence", "Manon", "Camille", "Océane", "Inès", "Anaïs", "Clémence", "Josiane",
		"Jean", "Philippe", "Michel", "Alain", "Patrick", "Nicolas", "Christophe", "Pierre", "Laurent", "Éric",
		"Stéphane", "Sébastien", "Frédéric", "Olivier", "David", "Thierry", "Jérôme", "François", "Benoît", "Cédric",
		"Loïc", "Yannick", "Gérard", "Hervé", "Rémi", "Grégoire", "Mathieu", "Thomas", "Julien", "Antoine",
		"Hugo", "Théo", "Raphaël", "Noël", "Gaël", "Joël", "Aurélien", "Damien", "Guillaume", "Bruno",
	}
	lastNames = []string{
		"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
		"Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier",
		"Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand",
		"Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
		"Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
		"Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger",
		"Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour",
		"Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Renard",
		"Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine",
		"Picard", "Gaillard", "Lacroix", "Fabre", "Dupuis", "Olivier", "Da Silva", "Hubert", "Rivière", "Le Gall",
		"Guillaume", "Moulin", "Berger", "Lecomte", "Ménard", "Fleury", "Deschamps", "Carpentier", "Maillard", "Aubry",
		"Vasseur", "Le Roux", "Renault", "Jacquet", "Prévost", "Poirier", "Charpentier", "Huet", "Dupuy", "Carré",
		"Breton", "Rémy", "Schneider", "Perrot", "Guyot", "Marty", "Cousin", "Le Goff", "Bouvier", "Tessier",
		"Lebrun", "Besson", "Delmas", "Chauvin", "Étienne", "Gilbert", "Hamon", "Jourdan", "Lévêque", "Pasquier",
	}
	roles = []string{"maire", "maire", "maire adjointe", "secrétaire de mairie", "DGS", "président de la communauté de communes", "directrice du développement économique"}
)

// bioOpenings start a bio by career.
var bioOpenings = map[string][]string{
	"en_poste":    {"Chargée de mission dans une agence de développement économique, ", "Responsable du service économique d’une communauté d’agglomération, ", "Directeur adjoint d’une agence départementale, "},
	"mobilite":    {"Ancienne directrice d’une agence départementale fermée après la réforme territoriale, ", "Ancien chargé d’affaires d’une agence régionale, aujourd’hui en mobilité, "},
	"independant": {"Consultant indépendant auprès des collectivités, ", "Consultante en développement territorial, ", "Fondateur d’un cabinet d’ingénierie territoriale, "},
	"retraite":    {"Jeune retraité après trente ans dans le développement économique, ", "Ancienne directrice générale des services, aujourd’hui retraitée, "},
}

// bioTopics describe work on a skill, by domain.
var bioTopics = map[string][]string{
	"attractivite": {"a conduit la stratégie d’attractivité et la marque territoriale de plusieurs intercommunalités", "accompagne l’accueil de nouveaux actifs et la prospection d’investisseurs"},
	"filieres":     {"anime des réseaux d’entreprises industrielles et des clusters", "a structuré des filières agroalimentaires, touristiques et énergétiques", "accompagne la réindustrialisation de territoires ruraux"},
	"entreprises":  {"a accueilli et implanté des entreprises sur des zones d’activités", "monte des dossiers d’aides aux entreprises et de transmission", "revitalise le commerce des centres-bourgs"},
	"management":   {"a dirigé par intérim des agences et des services économiques", "a conduit des fusions et mutualisations de structures", "connaît la gestion budgétaire, les ressources humaines et la relation avec les élus"},
	"strategie":    {"écrit des projets de territoire et des stratégies de développement économique", "mobilise les fonds européens (FEDER, LEADER) et les financements publics", "construit des observatoires économiques et des tableaux de bord territoriaux"},
}

// needTemplates are the needs small communes and EPCI submit: a title with
// the place, a description, and the skills wanted (the first required).
var needTemplates = []struct {
	title, description string
	kind               string
	skills             []string
}{
	{"Relancer la zone d’activités de %s", "La zone d’activités compte plusieurs lots vides et une friche. Nous cherchons un appui pour un diagnostic foncier et une stratégie de commercialisation auprès des entreprises.", "mission", []string{"entreprises.foncier", "entreprises.accueil"}},
	{"Revitaliser le centre-bourg de %s", "Trois commerces ont fermé en deux ans. La commune veut un plan d’action pour le commerce et l’artisanat, en lien avec le programme Petites villes de demain.", "mission", []string{"entreprises.commerce", "strategie.projet_territoire"}},
	{"Direction par intérim de l’agence de développement (%s)", "Le directeur part en retraite et le recrutement prendra plusieurs mois : nous cherchons une direction par intérim pour assurer la continuité et préparer le budget.", "interim", []string{"management.direction_interim", "management.gestion"}},
	{"Monter un dossier LEADER pour %s", "Projet de tiers-lieu et d’atelier partagé : besoin d’aide pour le plan de financement et le dossier de fonds européens.", "mission", []string{"strategie.fonds_europeens", "strategie.marches_publics"}},
	{"Structurer la filière bois autour de %s", "Les scieries et menuisiers du territoire veulent travailler ensemble : diagnostic de filière et animation d’un premier réseau d’entreprises.", "mission", []string{"filieres.diagnostic", "filieres.animation", "filieres.industrie"}},
	{"Stratégie touristique de %s et de ses environs", "Le territoire a un patrimoine peu connu. Nous voulons une stratégie touristique et une marque partagée avec les communes voisines.", "mission", []string{"filieres.tourisme", "attractivite.marketing"}},
	{"Projet de méthanisation agricole à %s", "Des agriculteurs portent un projet de méthanisation : appui pour l’étude d’opportunité et la concertation avec les habitants.", "mission", []string{"filieres.energie", "filieres.agroalimentaire"}},
	{"Accueillir de nouveaux actifs à %s", "Les entreprises peinent à recruter. Nous cherchons un plan d’attractivité pour attirer et loger de nouveaux actifs.", "mission", []string{"attractivite.talents", "entreprises.emploi"}},
	{"Reprise des commerces et entreprises de %s", "Plusieurs chefs d’entreprise approchent de la retraite sans repreneur : repérage et accompagnement des transmissions.", "mission", []string{"entreprises.transmission", "entreprises.financement"}},
	{"Fusion de deux syndicats mixtes (%s)", "La fusion de deux structures de développement est décidée : appui à la réorganisation, aux statuts et au dialogue avec les élus.", "mission", []string{"management.reorganisation", "management.gouvernance"}},
	{"Observatoire économique du territoire de %s", "Nous voulons suivre l’emploi, les créations d’entreprises et le foncier disponible dans un tableau de bord partagé avec les élus.", "mission", []string{"strategie.observation", "filieres.numerique"}},
	{"Implanter une entreprise industrielle à %s", "Un industriel cherche un site de 5 hectares : accompagnement de l’implantation, du foncier aux aides.", "mission", []string{"entreprises.accueil", "filieres.industrie", "entreprises.financement"}},
}
