-- A deployment keeps the tenant request it delivers, so a resumed run renders exactly what the first run did
-- even if the tenant changed since; a rollback names the deployment it undoes.
ALTER TABLE deployments ADD COLUMN spec TEXT NOT NULL DEFAULT '{}';
ALTER TABLE deployments ADD COLUMN rollback_of VARCHAR(36);

-- How many times a step started: more than one means a replica died or gave up its lease while running it.
ALTER TABLE deployment_steps ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE INDEX deployments_state ON deployments (state);
