package io.tessera.user;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.core.Actor;
import io.tessera.core.Ids;
import io.tessera.db.Database;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** SQL for admin users, their change log, sessions and failed sign-ins. */
public final class UserStore {
    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    /** A user with their password hash, for signing in. */
    record WithHash(User user, String hash) {
    }

    void insert(DSLContext tx, User u, String hash) {
        tx.execute("insert into admin_users (id, email, role, password_hash, created_at) values (?, ?, ?, ?, ?)",
                u.id(), u.email(), u.role().name(), hash, ts(u.createdAt()));
    }

    void updateRole(DSLContext tx, String id, Role role) {
        tx.execute("update admin_users set role = ? where id = ?", role.name(), id);
    }

    Optional<WithHash> byEmail(String email) {
        return Optional.ofNullable(db.dsl().fetchOne("select * from admin_users where email = ?", email))
                .map(r -> new WithHash(user(r), r.get("password_hash", String.class)));
    }

    Optional<User> byEmail(DSLContext tx, String email) {
        return Optional.ofNullable(tx.fetchOne("select * from admin_users where email = ? for update", email))
                .map(UserStore::user);
    }

    List<User> list() {
        return db.dsl().fetch("select * from admin_users order by email").map(UserStore::user);
    }

    long owners(DSLContext tx) {
        return tx.fetchOne("select count(*) from admin_users where role = 'OWNER'").get(0, Long.class);
    }

    void log(DSLContext tx, Actor actor, String action, String email, Role role, Instant at) {
        tx.execute("insert into admin_user_log (id, at, actor_type, actor_id, actor_name, action, user_email, role) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?)", Ids.next("ulg"), ts(at), actor.type(), actor.id(),
                actor.name(), action, email, role == null ? null : role.value());
    }

    /** One change to a user, as the Users page lists it. */
    public record LogEntry(Instant at, String actor, String action, String email, String role) {
    }

    List<LogEntry> log(int limit) {
        return db.dsl().fetch("select * from admin_user_log order by at desc, id desc limit ?", limit)
                .map(r -> new LogEntry(instant(r, "at"), r.get("actor_name", String.class),
                        r.get("action", String.class), r.get("user_email", String.class), r.get("role", String.class)));
    }

    // Sessions

    void insertSession(String idHash, String userId, String projectId, Instant now, Instant expires) {
        db.dsl().execute("insert into admin_sessions (id_hash, user_id, project_id, created_at, expires_at) "
                + "values (?, ?, ?, ?, ?)", idHash, userId, projectId, ts(now), ts(expires));
    }

    /** The session's user and project, when it exists and has not expired. */
    Optional<Session> session(String idHash, Instant now) {
        Record r = db.dsl().fetchOne("select s.project_id as session_project, u.* from admin_sessions s "
                + "join admin_users u on u.id = s.user_id where s.id_hash = ? and s.expires_at > ?", idHash, ts(now));
        return Optional.ofNullable(r).map(x -> new Session(idHash, user(x), x.get("session_project", String.class)));
    }

    void switchProject(String idHash, String projectId) {
        db.dsl().execute("update admin_sessions set project_id = ? where id_hash = ?", projectId, idHash);
    }

    void deleteSession(String idHash) {
        db.dsl().execute("delete from admin_sessions where id_hash = ?", idHash);
    }

    void deleteSessions(DSLContext tx, String userId) {
        tx.execute("delete from admin_sessions where user_id = ?", userId);
    }

    void deleteExpired(Instant now) {
        db.dsl().execute("delete from admin_sessions where expires_at <= ?", ts(now));
    }

    // Failed sign-ins

    void failure(String email, String ip, Instant at) {
        db.dsl().execute("insert into admin_sign_in_failures (id, email, ip, at) values (?, ?, ?, ?)",
                Ids.next("sif"), email, ip, ts(at));
    }

    long failuresByEmail(String email, Instant since) {
        return db.dsl().fetchOne("select count(*) from admin_sign_in_failures where email = ? and at > ?", email,
                ts(since)).get(0, Long.class);
    }

    long failuresByIp(String ip, Instant since) {
        return db.dsl().fetchOne("select count(*) from admin_sign_in_failures where ip = ? and at > ?", ip,
                ts(since)).get(0, Long.class);
    }

    void forgetFailures(String email) {
        db.dsl().execute("delete from admin_sign_in_failures where email = ?", email);
    }

    void deleteFailuresBefore(Instant before) {
        db.dsl().execute("delete from admin_sign_in_failures where at <= ?", ts(before));
    }

    private static User user(Record r) {
        return new User(r.get("id", String.class), r.get("email", String.class), Role.valueOf(r.get("role", String.class)),
                instant(r, "created_at"));
    }
}
