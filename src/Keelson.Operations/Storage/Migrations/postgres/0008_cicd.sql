-- CI/CD records behind the ECP-AI UI's CI/CD pages. cicd_settings: the global settings (registries are settings of
-- category 'registry'); setting_value never holds a credential: values under secret-looking keys (password, token,
-- ...) are moved to `secrets`, which no API response or log shows. cicd_images: the image each service runs, with a
-- version that grows on every change; cicd_image_versions: every change (who, when, what), for history and rollback.
-- Independent of every other table, so it applies in any order with its neighbours.
CREATE TABLE cicd_settings (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    setting_key TEXT NOT NULL UNIQUE,
    setting_category TEXT NOT NULL,
    setting_value TEXT NOT NULL,
    secrets TEXT NOT NULL,
    description TEXT,
    is_active BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cicd_images (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_name TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    image_name TEXT NOT NULL,
    image_tag TEXT NOT NULL,
    registry_url TEXT NOT NULL,
    repository TEXT NOT NULL,
    category TEXT NOT NULL,
    description TEXT,
    is_active BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE cicd_image_versions (
    service_name TEXT NOT NULL,
    version INTEGER NOT NULL,
    action TEXT NOT NULL,
    image_name TEXT NOT NULL,
    image_tag TEXT NOT NULL,
    registry_url TEXT NOT NULL,
    repository TEXT NOT NULL,
    is_active BOOLEAN NOT NULL,
    actor TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (service_name, version)
);
