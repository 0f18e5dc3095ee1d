-- Code-guessing protection (GuessGuard): the unknown codes each client and each API key checked lately, shared by
-- every node. One small row per client or key, locked while a reservation is decided. `scope` is a SHA-256 of the
-- client or key (no customer id or address is stored); `failures` lists "<second>:<count>" buckets, oldest first,
-- each stamped with the end of its bucket; `expires_at` (epoch seconds) is when the newest of them leaves the window,
-- so idle rows can be swept.
create table guess_windows (
    scope      varchar(64) not null primary key,
    failures   varchar(4000) not null,
    expires_at bigint not null
);
create index guess_windows_expiry on guess_windows (expires_at);
