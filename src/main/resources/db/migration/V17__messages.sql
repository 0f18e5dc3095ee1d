-- Messages (automation MESSAGE actions): rendered, stored QUEUED, then sent by a scheduled task ("message.send") by
-- SMTP or as a message.rendered outbox event; SENT or FAILED (with the error) afterwards. recipient is the rendered
-- "to". slot_at is the send slot the message was given by the per-channel throttle (null until its first attempt);
-- event_id the message.rendered event that carried it to an ESP. Erasure empties recipient, subject and body.
create table messages (
    id          varchar(40) primary key,
    project_id  varchar(40) not null references projects (id),
    customer_id varchar(128) not null,
    channel     varchar(32) not null,
    recipient   text,
    subject     text,
    body        text not null,
    status      varchar(16) not null,
    error       varchar(1000),
    attempts    integer not null default 0,
    slot_at     timestamp with time zone,
    event_id    varchar(40),
    created_at  timestamp with time zone not null,
    sent_at     timestamp with time zone
);
create index messages_customer on messages (project_id, customer_id, created_at);

-- The throttle: per project and channel, the instant from which the next send slot is free. Taken with a guarded
-- update (compare-and-set on next_at), so every server process on the database shares one rate.
create table message_slots (
    project_id varchar(40) not null references projects (id),
    channel    varchar(32) not null,
    next_at    timestamp with time zone not null,
    primary key (project_id, channel)
);
