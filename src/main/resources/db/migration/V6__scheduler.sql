-- One durable scheduler: due-time tasks, claimed with leases. Portable: PostgreSQL and H2 (PostgreSQL mode).
--
-- A task is PENDING until DONE or FAILED. due_at is the instant its work is due (on the clock of the request that
-- scheduled it, which is the test clock's instant in test-clock mode); immediate says it was due at the instant it
-- was scheduled (no delay), which is what the background poller may run in test-clock mode. While a node runs a
-- task, lease_owner holds the token of that claim and lease_until (real time) how long the claim lasts unless
-- renewed; a PENDING task whose lease ran out (its node died) is claimed again. attempts counts claims that ended
-- without the task finishing (a crash counts; a release at shutdown does not).
create table tasks (
    id          varchar(40) primary key,
    kind        varchar(64) not null,
    project_id  varchar(40) references projects (id),
    task_key    varchar(200),
    payload     text not null,
    due_at      timestamp with time zone not null,
    immediate   boolean not null,
    status      varchar(16) not null,
    attempts    integer not null default 0,
    error       varchar(1000),
    lease_owner varchar(40),
    lease_until timestamp with time zone,
    created_at  timestamp with time zone not null,
    finished_at timestamp with time zone
);
-- Idempotent enqueue: one task per (kind, caller-chosen key); tasks without a key never collide (NULLs are distinct).
create unique index tasks_key on tasks (kind, task_key);
create index tasks_due on tasks (status, due_at);
create index tasks_project_due on tasks (project_id, status, due_at);

-- Code generation jobs now run as tasks: the job row keeps what users see (status, done, total), the task holds the
-- lease. Jobs left RUNNING by the previous version get their task, so they resume after the upgrade.
insert into tasks (id, kind, project_id, task_key, payload, due_at, immediate, status, attempts, created_at)
select 'tsk_' || substring(id, 5), 'code.generate', project_id, id, '{"job":"' || id || '"}', created_at, true,
       'PENDING', 0, created_at
from jobs where status = 'RUNNING';

drop index jobs_status;
alter table jobs drop column lease_owner;
alter table jobs drop column lease_until;
