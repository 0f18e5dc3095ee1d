-- Customer events (POST /v1/events): what a customer did, stored per customer and listed newest first. The primary
-- key is the event id within its project: an id sent twice (even concurrently) is stored once, and only the request
-- whose insert made the row acts on it (loyalty earning, automations). seq orders events received at one instant.
create sequence customer_event_seq;
create table customer_events (
    project_id  varchar(40) not null references projects (id),
    id          varchar(128) not null,
    seq         bigint not null,
    customer_id varchar(128) not null,
    type        varchar(64) not null,
    properties  text not null,
    created_at  timestamp with time zone not null,
    primary key (project_id, id)
);
create index customer_events_customer on customer_events (project_id, customer_id, created_at, seq);
