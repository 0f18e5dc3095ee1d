-- One throttle for all work sent at a rate (job.SendSlots): per project and lane ("webhook:<id>", "message:<channel>"),
-- the instant from which the lane's next send slot is free, moved with a guarded update (compare-and-set on next_at) so
-- every server process on the database shares one rate. Replaces message_slots and webhooks.next_slot_at, whose
-- values move here.
create table send_slots (
    project_id varchar(40) not null references projects (id),
    lane       varchar(80) not null,
    next_at    timestamp with time zone not null,
    primary key (project_id, lane)
);
insert into send_slots (project_id, lane, next_at)
    select project_id, 'message:' || channel, next_at from message_slots;
insert into send_slots (project_id, lane, next_at)
    select project_id, 'webhook:' || id, next_slot_at from webhooks where next_slot_at is not null;
drop table message_slots;
alter table webhooks drop column next_slot_at;
