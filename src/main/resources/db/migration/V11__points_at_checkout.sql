-- Points paid at checkout (api.md "Points plus cash at checkout").
-- The ledger entry of a redemption's spend, and of its rollback, names the redemption.
alter table loyalty_entries add column redemption_id varchar(40);

-- What a redemption took from each bucket, so that its rollback gives the points back to the buckets they came from
-- (with their original expiry). Rows are kept after a rollback: the redemption's status makes the give-back once only.
create table loyalty_redemption_spends (
    redemption_id varchar(40) not null,
    bucket_id     varchar(40) not null,
    points        bigint not null,
    primary key (redemption_id, bucket_id)
);
