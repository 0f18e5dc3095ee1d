-- Secondary indexes lead with their own column, project_id second. Leading with project_id, each was a smaller index
-- than the primary (or unique) key that also begins with it: a generic plan made while a table was small (PostgreSQL
-- keeps one per prepared statement and connection until the next ANALYZE) chose it for a lookup by key and read every
-- row of the project to find one; a customer's lookup by id through the birthday index cost a redemption more than
-- the rest of it did. An equality on both columns uses them as well in either order. db.KeyLookupPlanTest checks it.
drop index codes_customer;
create index codes_customer on codes (customer_id, project_id);
drop index segment_members_customer;
create index segment_members_customer on segment_members (customer_id, project_id);
drop index redemptions_customer;
create index redemptions_customer on redemptions (customer_id, project_id);
drop index loyalty_members_customer;
create index loyalty_members_customer on loyalty_members (customer_id, project_id);
drop index publications_code;
create index publications_code on publications (code, project_id);
drop index publications_customer;
create index publications_customer on publications (customer_id, project_id);
drop index orders_customer;
create index orders_customer on orders (customer_id, project_id, status);
drop index automation_runs_customer;
create index automation_runs_customer on automation_runs (customer_id, project_id);
drop index customers_birthday;
create index customers_birthday on customers (birthday_md, project_id);
drop index referral_conversions_referrer;
create index referral_conversions_referrer on referral_conversions (referrer_id, project_id);
drop index approvals_project_status;
create index approvals_project_status on approvals (status, project_id, requested_at);
drop index customer_events_customer;
create index customer_events_customer on customer_events (customer_id, project_id, created_at, seq);
drop index messages_customer;
create index messages_customer on messages (customer_id, project_id, created_at);
-- Lookups by a unique key other than the primary one: the same, for the keys looked up on every retry or by name.
drop index automations_name;
create unique index automations_name on automations (name, project_id);
alter table redemptions drop constraint redemptions_idempotency;
alter table redemptions add constraint redemptions_idempotency unique (idempotency_key, project_id);
-- The reward's name key keeps its constraint (named by each database its own way); this index leads with the name.
create unique index loyalty_rewards_name on loyalty_rewards (name, program_id, project_id);
