-- The skill taxonomy (package skill). A code is "domain.name" and never
-- changes meaning once created; coordinators may add skills and rename their
-- labels. position orders skills within their domain in pickers.
CREATE TABLE skills (
    code TEXT PRIMARY KEY,
    domain TEXT NOT NULL CHECK (domain IN ('attractivite', 'filieres', 'entreprises', 'management', 'strategie')),
    label TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- The seed taxonomy of the product brief.
INSERT INTO skills (code, domain, label, position, created_at, updated_at) VALUES
    ('attractivite.strategie', 'attractivite', 'Stratégie d''attractivité territoriale', 10, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('attractivite.marketing', 'attractivite', 'Marketing et marque territoriale', 20, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('attractivite.prospection', 'attractivite', 'Prospection d''investisseurs, France et international', 30, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('attractivite.talents', 'attractivite', 'Attraction de talents et accueil d''actifs', 40, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.diagnostic', 'filieres', 'Diagnostic et cartographie de filière', 50, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.animation', 'filieres', 'Animation de réseaux d''entreprises et de clusters', 60, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.industrie', 'filieres', 'Industrie et réindustrialisation', 70, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.agroalimentaire', 'filieres', 'Agriculture et agroalimentaire', 80, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.energie', 'filieres', 'Transition énergétique, hydrogène, renouvelables', 90, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.numerique', 'filieres', 'Numérique et innovation', 100, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.tourisme', 'filieres', 'Tourisme', 110, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('filieres.ess', 'filieres', 'Économie sociale et solidaire', 120, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('entreprises.accueil', 'entreprises', 'Accueil et implantation d''entreprises', 130, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('entreprises.foncier', 'entreprises', 'Foncier, immobilier d''entreprise, zones d''activités', 140, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('entreprises.financement', 'entreprises', 'Ingénierie financière et aides aux entreprises', 150, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('entreprises.commerce', 'entreprises', 'Commerce, artisanat, revitalisation des centres-bourgs', 160, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('entreprises.emploi', 'entreprises', 'Emploi, compétences, GPEC territoriale', 170, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('entreprises.transmission', 'entreprises', 'Création, reprise et transmission d''entreprises', 180, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('management.direction_interim', 'management', 'Direction d''agence ou de service par intérim', 190, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('management.reorganisation', 'management', 'Réorganisation, fusion, mutualisation de structures', 200, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('management.gestion', 'management', 'Gestion administrative, budgétaire et RH', 210, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('management.gouvernance', 'management', 'Gouvernance et relations avec les élus', 220, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('strategie.projet_territoire', 'strategie', 'Projet de territoire, stratégie de développement économique', 230, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('strategie.fonds_europeens', 'strategie', 'Fonds européens et financements publics', 240, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('strategie.observation', 'strategie', 'Observation économique et données territoriales', 250, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
    ('strategie.marches_publics', 'strategie', 'Commande publique et montage de projets', 260, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
