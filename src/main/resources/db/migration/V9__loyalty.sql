-- Loyalty programs (LOYALTY campaigns): members, buckets of points and an append-only ledger. Portable: PostgreSQL
-- and H2 (PostgreSQL mode).
--
-- A member row exists once a customer has had any points in a program; every spend locks it, so spends, expiries,
-- reversals and transfers of one member apply one after another. tier is the tier at the member's last change (for
-- the members list filter); reads compute the tier at their own instant.
create table loyalty_members (
    project_id  varchar(40) not null references projects (id),
    program_id  varchar(40) not null,
    customer_id varchar(128) not null,
    tier        varchar(64),
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null,
    primary key (project_id, program_id, customer_id)
);
create index loyalty_members_tier on loyalty_members (project_id, program_id, tier, customer_id);

-- A bucket is one credit of points (an earning, a positive adjustment, a transfer received). remaining is what is
-- left of it after spends and reversals; it counts in the balance from available_at (pending points until then) to
-- expires_at (never when null). earned is what it adds to "earned" for tiers (0 for transfers received), reversed
-- what of it a REVERSE took back; dropped marks pending points of a cancelled order (never spendable); expired that
-- the expiry was written to the ledger (the balance ignores the bucket from expires_at on, written or not).
create table loyalty_buckets (
    id           varchar(40) primary key,
    project_id   varchar(40) not null,
    program_id   varchar(40) not null,
    customer_id  varchar(128) not null,
    points       bigint not null,
    remaining    bigint not null,
    earned       bigint not null,
    reversed     bigint not null default 0,
    available_at timestamp with time zone not null,
    expires_at   timestamp with time zone,
    order_id     varchar(128),
    dropped      boolean not null default false,
    expired      boolean not null default false,
    created_at   timestamp with time zone not null
);
create index loyalty_buckets_member on loyalty_buckets (project_id, program_id, customer_id, expires_at);
create index loyalty_buckets_order on loyalty_buckets (project_id, program_id, order_id);

create sequence loyalty_entry_seq;

-- The ledger: one row per change, never updated. points is signed; balance_after the spendable balance right after
-- the entry (pending points join it at their available_at). rule and order_id say what earned it.
create table loyalty_entries (
    seq           bigint primary key,
    id            varchar(40) not null unique,
    project_id    varchar(40) not null,
    program_id    varchar(40) not null,
    customer_id   varchar(128) not null,
    type          varchar(16) not null,
    points        bigint not null,
    balance_after bigint not null,
    rule          varchar(64),
    order_id      varchar(128),
    counterparty  varchar(128),
    reason        varchar(500),
    bucket_id     varchar(40),
    available_at  timestamp with time zone,
    at            timestamp with time zone not null
);
create index loyalty_entries_member on loyalty_entries (project_id, program_id, customer_id, seq);
create index loyalty_entries_rule on loyalty_entries (project_id, program_id, customer_id, rule, at);
