-- The limits of a campaign as the database holds them, so that a redemption never takes counters planned from a
-- node's outdated copy of the campaign. A row is written by every change of a campaign's limits (version counts
-- those changes); version 0 (a row made only to be locked, on H2) or no row at all means the limits never changed
-- since the campaign was created, so every node's copy of them is current. Each redemption reads its campaigns'
-- rows under a shared lock that a limits change takes exclusively (see CounterStore).
create table campaign_limits (
    campaign_id               varchar(40) primary key,
    version                   bigint not null,
    redemptions               bigint,
    per_code                  bigint,
    per_customer              bigint,
    per_customer_period_count bigint,
    per_customer_period       varchar(8),
    per_period_count          bigint,
    per_period                varchar(8),
    budget_discount           bigint,
    budget_orders             bigint
);
