-- Codes at scale: durable generation jobs, publications of personal codes, the event outbox, and the indexes that
-- back code listings. Portable: PostgreSQL and H2 (PostgreSQL mode) run this same script.

-- Background work that must survive a restart. A job is RUNNING until DONE or FAILED; while a node works on it,
-- lease_owner holds that node's claim token and lease_until how long the claim lasts unless renewed. A RUNNING job
-- whose lease ran out (its node died) is claimed by another node, or by the next start, and resumed from done.
create table jobs (
    id          varchar(40) primary key,
    project_id  varchar(40) not null references projects (id),
    campaign_id varchar(40) not null references campaigns (id),
    kind        varchar(32) not null,
    status      varchar(16) not null,
    total       bigint not null,
    done        bigint not null default 0,
    params      text not null,
    error       varchar(1000),
    lease_owner varchar(40),
    lease_until timestamp with time zone,
    created_at  timestamp with time zone not null,
    finished_at timestamp with time zone
);
create index jobs_status on jobs (status, lease_until);
create index jobs_campaign on jobs (campaign_id, status);

-- No index is added on codes: listings page through codes_campaign (campaign_id, code), and publication claims
-- from a random point of it. Each index on codes costs bulk generation about a tenth of its time.

-- Who received which personal code, and when.
create table publications (
    id          varchar(40) primary key,
    project_id  varchar(40) not null references projects (id),
    campaign_id varchar(40) not null references campaigns (id),
    code        varchar(64) not null,
    customer_id varchar(128) not null,
    created_at  timestamp with time zone not null
);
create index publications_code on publications (project_id, code);
create index publications_customer on publications (project_id, customer_id);

-- The outbox: every event is written in the transaction of the change it reports, so it exists exactly when the
-- change does. Webhook delivery reads from here. payload is JSON text (portable; jsonb is PostgreSQL only).
create table events (
    id         varchar(40) primary key,
    project_id varchar(40) not null references projects (id),
    type       varchar(64) not null,
    payload    text not null,
    created_at timestamp with time zone not null
);
create index events_project_created on events (project_id, created_at, id);
