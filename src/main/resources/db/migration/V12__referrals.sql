-- Referral conversions: one row per referee of a REFERRAL campaign who converted (their first paid order linked a
-- redemption of a referral code). The primary key makes the referrer's reward once per referee, whatever order is
-- re-sent, even concurrently: the second insert finds the row and rewards nothing.
create table referral_conversions (
    project_id    varchar(40) not null,
    campaign_id   varchar(40) not null,
    referee_id    varchar(128) not null,
    referrer_id   varchar(128) not null,
    code          varchar(64) not null,
    order_id      varchar(128) not null,
    redemption_id varchar(40) not null,
    created_at    timestamp with time zone not null,
    primary key (project_id, campaign_id, referee_id)
);
create index referral_conversions_referrer on referral_conversions (project_id, referrer_id);
