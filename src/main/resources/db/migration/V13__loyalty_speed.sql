-- A member read or spend loads only the buckets that still hold points (remaining > 0): with remaining in the key,
-- the index skips the used-up buckets of a long history (a member with 5,000 buckets, 4,000 used up, reads 1,000).
-- Portable (no partial index in H2): the cost is that a spend's update of remaining also updates this index.
create index loyalty_buckets_held on loyalty_buckets (project_id, program_id, customer_id, remaining);

-- customer.loyalty in expressions reads all the programs a customer is a member of in one query, from here.
create index loyalty_members_customer on loyalty_members (project_id, customer_id);
