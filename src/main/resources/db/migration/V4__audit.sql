-- The audit log: one row per configuration change, written in the transaction of the change. Append-only: nothing in
-- the application updates or deletes these rows. seq orders entries (newest first) and is the paging cursor.
create sequence audit_seq;

create table audit_log (
    seq         bigint primary key,
    id          varchar(40) not null unique,
    project_id  varchar(40) not null references projects (id),
    at          timestamp with time zone not null,
    actor_type  varchar(16) not null,
    actor_id    varchar(128) not null,
    actor_name  varchar(200),
    action      varchar(64) not null,
    resource    varchar(300) not null,
    before_state text,
    after_state  text
);
create index audit_project on audit_log (project_id, seq);
create index audit_resource on audit_log (project_id, resource, seq);

-- Who rolled a redemption back (the actor of the rollback; its reason is already kept).
alter table redemptions add column rolled_back_by varchar(200);

-- API key names are unique per project, like every other name.
create unique index api_keys_name on api_keys (project_id, name);
