-- A redemption's lines are read by project and day only by the rollup and the dashboard's open days, and those now
-- reach them through the redemptions' (project_id, created_at) index and the lines' primary key, bounded by the
-- instants a day can span in any zone (Rollups). The index cost every line one more index insert and log record: five
-- of the 35 a redemption of the load fixture writes.
drop index if exists redemption_lines_day;
