-- Admin UI users: one role each, per installation (a user may open every project). Passwords are bcrypt hashes.
create table admin_users (
    id            varchar(40) primary key,
    email         varchar(254) not null unique,
    role          varchar(16) not null,
    password_hash varchar(100) not null,
    created_at    timestamp with time zone not null
);

-- Server-side sessions: the cookie holds 256 random bits, only their SHA-256 is stored. project_id is the project the
-- user is looking at (the "Project" select).
create table admin_sessions (
    id_hash     varchar(64) primary key,
    user_id     varchar(40) not null references admin_users (id),
    project_id  varchar(40) references projects (id),
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null
);
create index admin_sessions_user on admin_sessions (user_id);

-- Failed sign-ins, counted per email and per address over a window to throttle guessing.
create table admin_sign_in_failures (
    id      varchar(40) primary key,
    email   varchar(254) not null,
    ip      varchar(64) not null,
    at      timestamp with time zone not null
);
create index admin_sign_in_failures_email on admin_sign_in_failures (email, at);
create index admin_sign_in_failures_ip on admin_sign_in_failures (ip, at);

-- Changes to users (an installation's, not a project's: the project audit log needs a project).
create table admin_user_log (
    id          varchar(40) primary key,
    at          timestamp with time zone not null,
    actor_type  varchar(16) not null,
    actor_id    varchar(128) not null,
    actor_name  varchar(200),
    action      varchar(64) not null,
    user_email  varchar(254) not null,
    role        varchar(16)
);
