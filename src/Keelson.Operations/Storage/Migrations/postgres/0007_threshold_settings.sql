-- Monitoring threshold settings (the ECP-AI UI's /api/v1/thresholds). tenant_id NULL is the database-wide setting the
-- UI edits; a tenant's own row overrides it. At most one active default per scope, kept by the store in one transaction.
-- thresholds holds {cpu: {warning, critical}, ...} as JSON; applying a default writes alert rules (alert_rules).
CREATE TABLE threshold_settings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    setting_id TEXT NOT NULL UNIQUE,
    tenant_id TEXT REFERENCES tenants(tenant_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    category TEXT NOT NULL,
    thresholds TEXT NOT NULL,
    notifications_enabled BOOLEAN NOT NULL,
    email_enabled BOOLEAN NOT NULL,
    sms_enabled BOOLEAN NOT NULL,
    slack_enabled BOOLEAN NOT NULL,
    preset_name TEXT,
    sla_level DOUBLE PRECISION,
    is_active BOOLEAN NOT NULL,
    is_default BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX idx_threshold_settings_scope ON threshold_settings (tenant_id, is_default, is_active);
