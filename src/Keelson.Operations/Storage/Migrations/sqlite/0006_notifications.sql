-- The notification outbox: every notification the dispatcher decides to send is written here before any attempt,
-- so a server killed mid-send delivers it after restart. A replica claims due rows for a lease (claimed_by,
-- claimed_until) so two replicas never send the same row at once; every attempt is kept with its outcome.
-- `receiver` holds the full receiver (URLs can carry secrets) and is never returned by the API; `receiver_name` is
-- the redacted form (scheme and host) shown to people.
CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    receiver_kind TEXT NOT NULL,
    receiver_name TEXT NOT NULL,
    receiver TEXT NOT NULL,
    group_key TEXT NOT NULL,
    status TEXT NOT NULL,
    payload TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_by TEXT,
    claimed_until TEXT,
    sent_at TEXT,
    last_error TEXT
);

CREATE INDEX idx_notifications_due ON notifications (state, next_attempt_at);
CREATE INDEX idx_notifications_tenant ON notifications (tenant_id, created_at DESC);

CREATE TABLE notification_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_id TEXT NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    at TEXT NOT NULL,
    duration_ms REAL NOT NULL,
    outcome TEXT NOT NULL,
    status_code INTEGER,
    reply TEXT,
    error TEXT,
    sender TEXT NOT NULL
);

CREATE INDEX idx_notification_attempts_notification ON notification_attempts (notification_id, attempt);

-- Alertmanager's silences: label matchers and a time window; expiring one sets its end to now.
CREATE TABLE silences (
    id TEXT PRIMARY KEY,
    matchers TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    comment TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX idx_silences_ends_at ON silences (ends_at);
