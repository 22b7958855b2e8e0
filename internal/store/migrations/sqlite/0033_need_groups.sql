-- Mutualised needs: open needs nearby that one mission will serve (the
-- need page's « mutualiser »). Matching ranks a group as one request: the
-- union of the members' skills and the intersection of their windows.
CREATE TABLE need_groups (
    id INTEGER PRIMARY KEY,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
-- A need belongs to one group at most; position orders the members (the
-- first gives the group's place and requester for matching).
CREATE TABLE need_group_members (
    need_id INTEGER PRIMARY KEY REFERENCES needs (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES need_groups (id) ON DELETE CASCADE,
    position INTEGER NOT NULL
);
CREATE INDEX need_group_members_group ON need_group_members (group_id, position);
