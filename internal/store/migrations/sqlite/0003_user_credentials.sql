-- Credentials and second factor of an account (package account). A user
-- without a password logs in by magic link or OpenID Connect only.
ALTER TABLE users ADD COLUMN password_hash TEXT;                      -- argon2id, PHC string
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_secret TEXT;                        -- base32, set once enrolment is confirmed
ALTER TABLE users ADD COLUMN totp_enabled_at TIMESTAMP;
ALTER TABLE users ADD COLUMN mfa_waived BOOLEAN NOT NULL DEFAULT FALSE; -- demo accounts only
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMP;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0; -- last accepted time step: a code works once
