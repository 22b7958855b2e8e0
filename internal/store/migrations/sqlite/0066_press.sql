-- Press mentions (package press): an article of a national, regional or
-- trade outlet that names the federation, with the member agencies and the
-- experts it cites. An article is one (outlet, day, title): importing the
-- same file twice updates the rows instead of counting them twice.
CREATE TABLE press_mentions (
    id INTEGER PRIMARY KEY,
    outlet TEXT NOT NULL,                  -- « Les Échos », « Ouest-France »
    scope TEXT NOT NULL CHECK (scope IN ('national', 'regional', 'trade')),
    published_on DATE NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (outlet, published_on, title)
);
CREATE INDEX press_mentions_published ON press_mentions (published_on);

CREATE TABLE press_mention_agencies (
    mention_id INTEGER NOT NULL REFERENCES press_mentions (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (mention_id, organisation_id)
);
CREATE INDEX press_mention_agencies_organisation ON press_mention_agencies (organisation_id);

CREATE TABLE press_mention_experts (
    mention_id INTEGER NOT NULL REFERENCES press_mentions (id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES experts (id) ON DELETE CASCADE,
    PRIMARY KEY (mention_id, expert_id)
);
CREATE INDEX press_mention_experts_expert ON press_mention_experts (expert_id);
