-- Every statement now reads a redemption by (project_id, id), the rollups' joins to redemption_lines included: the
-- index on the id alone that V28 kept served only those joins, and cost each redemption one index insert more (one of
-- its five on redemptions). On a database sharded by project it would also have sent them to every shard.
drop index if exists redemptions_by_id;
