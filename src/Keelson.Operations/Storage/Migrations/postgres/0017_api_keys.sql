-- API keys issued at run time (POST /api/v1/api-keys). Only the SHA-256 of the secret is kept (the secret is 32 random
-- bytes, so a plain hash cannot be reversed by guessing); `prefix` is its first characters, shown so people can tell
-- keys apart. tenant_id is null for an admin key. No foreign key to tenants: a key may name a tenant of either mode's
-- database. Revoked keys stay listed (revoked_at set). Independent of every other table.
CREATE TABLE api_keys (
    key_id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    name TEXT NOT NULL,
    tenant_id TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
