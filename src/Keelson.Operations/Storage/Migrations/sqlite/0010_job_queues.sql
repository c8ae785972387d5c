-- The batch job queue (Kueue's semantics, docs/jobs.md). job_queues: a tenant's queues, each with its cohort, ordering,
-- preemption policies and quotas per flavor (node pool) as JSON. jobs: every submitted job with its request (the columns
-- admission reads) and its full specification (JSON); state pending → admitted → running → succeeded | failed, or
-- cancelled; a preempted job goes back to pending with its attempt counted. job_attempts: one row per admission, with
-- the Kubernetes Job's deterministic name, how it ended, and whether that Job has been deleted from the cluster (a
-- preempted or cancelled attempt's Job is deleted by the watcher). job_admitters: one row per tenant with jobs, locked by
-- the admission pass of that tenant, holding the admission counter (later admissions are preempted first).
CREATE TABLE job_queues (
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT NOT NULL,
    name TEXT NOT NULL,
    queue TEXT NOT NULL,
    priority INTEGER NOT NULL,
    milli_cpu INTEGER NOT NULL,
    memory_bytes INTEGER NOT NULL,
    gpus INTEGER NOT NULL,
    gpu_type TEXT,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    flavor TEXT,
    attempt INTEGER NOT NULL DEFAULT 0,
    admission_seq INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);

CREATE INDEX idx_jobs_tenant_state ON jobs (tenant_id, state, id);
CREATE INDEX idx_jobs_state ON jobs (state);

CREATE TABLE job_attempts (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    flavor TEXT NOT NULL,
    kubernetes_name TEXT NOT NULL,
    admitted_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT,
    message TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (job_id, attempt)
);

CREATE TABLE job_admitters (
    tenant_id TEXT PRIMARY KEY,
    admission_seq INTEGER NOT NULL DEFAULT 0
);
