-- Automations (POST /v1/automations): a trigger, a condition, a delay and actions. The definition is stored as the
-- canonical JSON it was validated from; trigger_on is kept apart so the triggers find a project's listeners quickly.
create table automations (
    id          varchar(40) primary key,
    project_id  varchar(40) not null references projects (id),
    name        varchar(64) not null,
    trigger_on  varchar(200) not null,
    definition  text not null,
    active      boolean not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);
create unique index automations_name on automations (project_id, name);

-- One row per time an automation fired for a customer, written in the transaction of the change that fired it, with a
-- scheduler task (key = the run id) due at due_at. run_key makes a trigger fire once per customer: an order
-- (order:<id>), an expiring bucket (bucket:<id>), a birthday (birthday:<year>); null when nothing repeats it. seq
-- orders the runs log.
create sequence automation_run_seq;
create table automation_runs (
    id            varchar(40) primary key,
    seq           bigint not null,
    project_id    varchar(40) not null references projects (id),
    automation_id varchar(40) not null,
    customer_id   varchar(128) not null,
    trigger_on    varchar(200) not null,
    trigger_data  text not null,
    run_key       varchar(200),
    due_at        timestamp with time zone not null,
    status        varchar(10) not null,
    error         varchar(1000),
    outputs       text,
    created_at    timestamp with time zone not null,
    finished_at   timestamp with time zone
);
create unique index automation_runs_key on automation_runs (automation_id, customer_id, run_key);
create index automation_runs_log on automation_runs (automation_id, seq);
create index automation_runs_customer on automation_runs (project_id, customer_id);

-- limit.perCustomer: runs of the automation for the customer that were not SKIPPED. Taken with a guarded update
-- (runs < limit) in the run's transaction, given back when a run is SKIPPED: exact with any number of nodes.
create table automation_counts (
    automation_id varchar(40) not null,
    customer_id   varchar(128) not null,
    project_id    varchar(40) not null,
    runs          integer not null,
    primary key (automation_id, customer_id)
);

-- segment_entered:<name>: the last known membership per automation and customer, so "entered" is a transition.
create table automation_segment_states (
    automation_id varchar(40) not null,
    customer_id   varchar(128) not null,
    project_id    varchar(40) not null,
    inside        boolean not null,
    primary key (automation_id, customer_id)
);

-- Birthdays: month and day (MMDD) of customers.attributes.birthday, kept by the automation feature on every change of
-- the attributes, so that the daily sweep finds the day's customers by index instead of reading every profile.
alter table customers add column birthday_md varchar(4);
create index customers_birthday on customers (project_id, birthday_md);
