-- Sessions live in the database so that several `vivier serve` on one
-- PostgreSQL share them. The cookie holds a random token; only its SHA-256
-- is stored, so a leaked table cannot be replayed as cookies.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('mfa', 'enrol', 'full')), -- a second factor still owed, or none
    method TEXT NOT NULL CHECK (method IN ('password', 'magic_link', 'oidc', 'invitation', 'reset')),
    csrf_token TEXT NOT NULL,      -- synchronizer token of this session's forms
    totp_pending TEXT,             -- TOTP secret shown during enrolment, until confirmed
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL  -- absolute expiry; idle expiry is last_seen_at + idle
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- Single-use links sent by email: invitations, magic links, password resets.
CREATE TABLE login_links (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'magic_link', 'reset')),
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX login_links_user ON login_links (user_id);

-- Recovery codes of the second factor, hashed, each usable once.
CREATE TABLE recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Failed-login counters, shared by every instance: one row per account
-- (key 'account:EMAIL') and per client address (key 'ip:ADDR').
CREATE TABLE login_throttle (
    key TEXT PRIMARY KEY,
    window_start TIMESTAMP NOT NULL,
    failures INTEGER NOT NULL
);

-- Personal API tokens for /api/v1: shown once, stored hashed.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,          -- first characters, to recognise a token in a list
    scope TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- OpenID Connect identities linked to an account: (issuer, subject) is the
-- identity; the email is what it claimed when linked.
CREATE TABLE oidc_identities (
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_login_at TIMESTAMP NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX oidc_identities_user ON oidc_identities (user_id);

-- OpenID Connect logins under way: state, nonce and PKCE verifier, single use.
CREATE TABLE oidc_states (
    state_hash TEXT PRIMARY KEY,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
