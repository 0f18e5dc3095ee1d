-- Campaign-wide counters (total, budgets, per period) are split into slot rows, each with its own cap; they live in a
-- table of their own so that the rows every checkout of a hot code updates share pages with nothing else (PostgreSQL
-- can then update them in place, without growing the index).
create table counter_slots (
    campaign_id varchar(40) not null,
    name        varchar(300) not null,
    used        bigint not null,
    cap         bigint not null,
    primary key (campaign_id, name)
);
