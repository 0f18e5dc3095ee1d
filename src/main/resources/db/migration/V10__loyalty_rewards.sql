-- Loyalty rewards: a catalogue per program of things members buy with points (a code of a CODES campaign with UNIQUE
-- codes, published to the member). Portable: PostgreSQL and H2 (PostgreSQL mode).
--
-- stock is what is left to claim (null: unlimited); a claim takes one with a guarded update (stock > 0), so the
-- reward's row is locked only by claims of rewards that have a stock.
create table loyalty_rewards (
    id          varchar(40) primary key,
    project_id  varchar(40) not null references projects (id),
    program_id  varchar(40) not null,
    name        varchar(64) not null,
    cost        bigint not null,
    campaign_id varchar(40) not null,
    stock       bigint,
    archived    boolean not null default false,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null,
    unique (project_id, program_id, name)
);

-- A SPEND for a reward names it.
alter table loyalty_entries add column reward varchar(64);

-- The programme report sums the ledger and the buckets of a program over a period, across members.
create index loyalty_entries_at on loyalty_entries (project_id, program_id, at);
create index loyalty_buckets_expiry on loyalty_buckets (project_id, program_id, expires_at);
