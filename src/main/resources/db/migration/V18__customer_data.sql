-- Customer data for conditions (customer.orders.lastAt, customer.redeemed, customer.events), kept on the customer row
-- by the writes that change it (paid/refunded orders, redemptions and rollbacks, new events), so that a validation
-- reads it with the customer in one indexed read. redeemed: {"<campaign>": <standing redemptions>}; events:
-- {"<type>": {"count": n, "lastAt": <epoch microseconds>, "last": {<properties of the latest event>}}}.
alter table customers add column last_order_at timestamp with time zone;
alter table customers add column redeemed text not null default '{}';
alter table customers add column events text not null default '{}';

-- A refund or cancellation takes lastAt again from the customer's paid orders; erasure renames by customer too.
create index orders_customer on orders (project_id, customer_id, status);

-- What was stored before this migration, summarised once (portable SQL: string_agg runs on PostgreSQL and H2).
update customers set last_order_at = (select max(o.created_at) from orders o where o.project_id = customers.project_id
    and o.customer_id = customers.id and o.status = 'PAID');

-- Each summary is built for all customers at once into a work table (H2 allows no outer reference inside a derived
-- table), then copied onto the customer rows.
create table customer_data_backfill as
select g.project_id, g.customer_id,
       '{' || string_agg('"' || g.name || '":' || cast(g.n as varchar(20)), ',') || '}' as summary
from (select r.project_id, r.customer_id, c.name, count(distinct r.id) as n
      from redemptions r
      join redemption_lines l on l.redemption_id = r.id
      join campaigns c on c.id = l.campaign_id
      where r.status = 'REDEEMED' and r.customer_id is not null
      group by r.project_id, r.customer_id, c.name) g
group by g.project_id, g.customer_id;
create index customer_data_backfill_key on customer_data_backfill (project_id, customer_id);
update customers set redeemed = coalesce((select b.summary from customer_data_backfill b
    where b.project_id = customers.project_id and b.customer_id = customers.id), '{}');
drop table customer_data_backfill;

-- last: the properties of the event with the greatest (created_at, seq) of each type, kept when at most 4,096
-- characters (as new events do); the 100-type bound applies from the customer's next event on.
create table customer_data_backfill as
select e.project_id, e.customer_id,
       '{' || string_agg('"' || e.type || '":{"count":' || cast(s.n as varchar(20)) || ',"lastAt":'
           || cast(cast(extract(epoch from e.created_at) * 1000000 as bigint) as varchar(20)) || ',"last":'
           || case when length(e.properties) <= 4096 then e.properties else '{}' end || '}', ',') || '}' as summary
from customer_events e
join (select project_id, customer_id, type, count(*) as n from customer_events
      group by project_id, customer_id, type) s
  on s.project_id = e.project_id and s.customer_id = e.customer_id and s.type = e.type
where not exists (select 1 from customer_events f where f.project_id = e.project_id
                  and f.customer_id = e.customer_id and f.type = e.type
                  and (f.created_at > e.created_at or (f.created_at = e.created_at and f.seq > e.seq)))
group by e.project_id, e.customer_id;
create index customer_data_backfill_key on customer_data_backfill (project_id, customer_id);
update customers set events = coalesce((select b.summary from customer_data_backfill b
    where b.project_id = customers.project_id and b.customer_id = customers.id), '{}');
drop table customer_data_backfill;
