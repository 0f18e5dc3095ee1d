-- Figures the dashboard and a campaign's stats read without aggregating every redemption line (docs/decisions.md,
-- "Admin figures: a rollup of closed days"). Portable: PostgreSQL and H2 (PostgreSQL mode) run this same script.
--
-- A day is rolled up once it is closed (two UTC days behind, so no redemption can still be written on it) by the
-- scheduler's redemption.rollup task; closed_through is the last day rolled up, and readers add the lines of later
-- days read live. A rollback of a redemption on a closed day corrects these rows in its own transaction; the row of
-- redemption_rollups is the lock that orders rollbacks and the task (the redemption itself never touches these tables).
create table redemption_rollups (
    project_id     varchar(40) primary key,
    closed_through varchar(10)
);

-- Per closed day: a row per campaign (its lines: standing, rolled back, their discount and orders' value) and one for
-- the whole project with campaign_id '' (its redemptions, each counted once however many lines it has).
create table redemption_days (
    project_id   varchar(40) not null,
    campaign_id  varchar(40) not null,
    local_day    varchar(10) not null,
    redemptions  bigint not null,
    rolled_back  bigint not null,
    discount     bigint not null,
    orders_value bigint not null,
    primary key (project_id, campaign_id, local_day)
);

-- Per campaign, the sum of its closed days, and how many of its unique codes those days redeemed (a code counts while
-- its closed standing redemptions are above zero).
create table redemption_campaigns (
    project_id     varchar(40) not null,
    campaign_id    varchar(40) not null,
    redemptions    bigint not null,
    rolled_back    bigint not null,
    discount       bigint not null,
    orders_value   bigint not null,
    codes_redeemed bigint not null,
    primary key (project_id, campaign_id)
);

-- Per code, its standing redemptions and discount of closed days: the dashboard's top codes.
create table redemption_codes (
    project_id  varchar(40) not null,
    code        varchar(64) not null,
    campaign_id varchar(40) not null,
    is_unique   boolean not null,
    redemptions bigint not null,
    discount    bigint not null,
    primary key (project_id, code)
);
create index redemption_codes_top on redemption_codes (project_id, redemptions desc, code);

-- How many codes a campaign has and how many were published, kept by the writes that add codes and publish them, so
-- that a campaign's page does not count a million codes. Split into slot rows (a writer adds to one at random, a
-- reader sums them), so that concurrent publications of one campaign rarely wait for each other.
create table code_counts (
    project_id  varchar(40) not null,
    campaign_id varchar(40) not null,
    slot        int not null,
    total       bigint not null,
    published   bigint not null,
    primary key (project_id, campaign_id, slot)
);
insert into code_counts (project_id, campaign_id, slot, total, published)
select project_id, campaign_id, 0, count(*), count(customer_id) from codes group by project_id, campaign_id;
