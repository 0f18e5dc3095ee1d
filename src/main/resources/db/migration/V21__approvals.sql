-- Approvals: a project may ask that some changes made in the admin UI by non-owners wait for an owner. The policy is a
-- project setting (JSON, null: off), e.g. {"campaigns": true, "pointsAbove": 1000}.
alter table projects add column approvals text;

-- A change waiting for (or decided by) an owner: what it is (kind, target), what to apply (payload, as the service
-- takes it) and the readable diff shown to the owner, both JSON. status: PENDING, APPROVED, REJECTED.
create table approvals (
    id                 varchar(40) not null,
    project_id         varchar(40) not null references projects (id),
    kind               varchar(40) not null,
    target             varchar(300) not null,
    payload            text not null,
    diff               text not null,
    requested_by       varchar(128) not null,
    requested_by_name  varchar(200),
    requested_at       timestamp with time zone not null,
    decided_by         varchar(128),
    decided_by_name    varchar(200),
    decided_at         timestamp with time zone,
    status             varchar(16) not null,
    error              varchar(1000),
    primary key (project_id, id)
);
create index approvals_project_status on approvals (project_id, status, requested_at);

-- The audit entry of a change applied on approval names the requester as well as its actor (the approver).
alter table audit_log add column requested_by_type varchar(16);
alter table audit_log add column requested_by_id varchar(128);
alter table audit_log add column requested_by_name varchar(200);

-- Admin pages on large projects (docs/performance.md, "Admin pages at 1M codes"): the dashboard reads the project's
-- redemption lines of its last 30 days, not all of them.
create index redemption_lines_day on redemption_lines (project_id, local_day);
