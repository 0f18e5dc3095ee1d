-- Requests per second an API key may make (null: the project's default; both null: no limit).
alter table api_keys add column rate_limit integer;
alter table projects add column rate_limit integer;

-- The shared token buckets of rate limits on PostgreSQL (Bucket4j's JDBC layout: one row per key and limit, the state
-- serialized by Bucket4j). H2 is one node and keeps its buckets in memory.
create table rate_buckets (
    id varchar(120) primary key,
    state bytea
);
