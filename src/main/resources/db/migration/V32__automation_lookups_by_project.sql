-- Every statement on these tables now names the project first (V31's change): the indexes V24 kept on
-- (automation_id, customer_id) alone serve none of them, and cost each run one index write more.
drop index if exists automation_counts_by_automation_id_customer_id;
drop index if exists automation_segment_states_by_automation_id_customer_id;
