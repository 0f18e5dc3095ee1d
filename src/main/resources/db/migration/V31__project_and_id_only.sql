-- Every statement now finds a row of these tables by (project_id, id), joins and the tasks' reads included (a task
-- carries its project): the indexes on the id alone that V24 and V28 kept served only the statements that did not,
-- and cost each insert one index write more. On a database sharded by project those reads would have gone to every
-- shard. db.DistributionReadySchemaTest drives the flows that touch these tables and checks their statements.
drop index if exists automations_by_id;
drop index if exists events_by_id;
drop index if exists loyalty_buckets_by_id;
drop index if exists loyalty_rewards_by_id;
drop index if exists messages_by_id;
drop index if exists campaigns_by_id;
drop index if exists webhooks_by_id;
drop index if exists jobs_by_id;
drop index if exists webhook_deliveries_by_id;
drop index if exists automation_runs_by_id;
