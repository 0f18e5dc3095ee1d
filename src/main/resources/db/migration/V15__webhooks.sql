-- Webhooks: a project's receivers of outbox events. events is the comma-separated list of event types subscribed to.
-- secret is kept as given (HMAC needs it in the clear); it is never returned by the API nor written to the audit log.
-- failing_since: the first failed attempt since the last success (5 days of it disables the webhook). next_slot_at:
-- the throttle, the earliest instant the next delivery may be sent (reserved with a guarded update, so it holds
-- across nodes).
create table webhooks (
    id              varchar(40) primary key,
    project_id      varchar(40) not null references projects (id),
    name            varchar(64) not null,
    url             varchar(2000) not null,
    events          varchar(1000) not null,
    secret          varchar(300) not null,
    rate_limit      integer not null,
    enabled         boolean not null,
    disabled_reason varchar(500),
    failing_since   timestamp with time zone,
    next_slot_at    timestamp with time zone,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    constraint webhooks_name unique (project_id, name)
);

-- One row per event and webhook: the log of GET /v1/webhooks/{name}/deliveries. body is the exact JSON sent (the same
-- bytes on every attempt). task_token names the one scheduled task allowed to act on the delivery: a retry, a recover
-- or a throttled re-schedule hands the delivery to a new task, and a stale task then does nothing. round_attempts
-- counts the attempts since the delivery was last queued (the retry schedule), attempts all of them.
create sequence webhook_delivery_seq;
create table webhook_deliveries (
    id              varchar(40) primary key,
    seq             bigint not null,
    project_id      varchar(40) not null references projects (id),
    webhook_id      varchar(40) not null references webhooks (id),
    event_id        varchar(40) not null,
    event_type      varchar(64) not null,
    status          varchar(16) not null,
    attempts        integer not null,
    round_attempts  integer not null,
    task_token      varchar(40),
    response_status integer,
    duration_ms     bigint,
    next_attempt_at timestamp with time zone,
    last_error      varchar(1000),
    body            text not null,
    request_headers text,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null
);
create index webhook_deliveries_log on webhook_deliveries (webhook_id, seq);
create index webhook_deliveries_status on webhook_deliveries (webhook_id, status, created_at);
