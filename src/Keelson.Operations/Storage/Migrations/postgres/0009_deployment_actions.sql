-- A deployment may stop (scale to zero), start or restart the tenant rather than deploy it; older rows are deploys.
ALTER TABLE deployments ADD COLUMN action TEXT NOT NULL DEFAULT 'deploy';
