package io.tessera.webhook;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.job.SendSlots;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Webhooks and their deliveries: SQL only. */
final class WebhookStore {
    private final Database db;

    WebhookStore(Database db) {
        this.db = db;
    }

    Database db() {
        return db;
    }

    // ---- webhooks ----

    void insert(DSLContext tx, Webhook w) {
        tx.execute("insert into webhooks (id, project_id, name, url, events, secret, rate_limit, enabled, "
                        + "disabled_reason, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                w.id(), w.projectId(), w.name(), w.url(), String.join(",", w.events()), w.secret(), w.rateLimit(),
                w.enabled(), w.disabledReason(), ts(w.createdAt()), ts(w.updatedAt()));
        changed(tx, w.projectId());
    }

    /** Saves url, events, secret, rate limit and status; re-enabling clears the failure streak. */
    void update(DSLContext tx, Webhook w, Instant now) {
        tx.execute("update webhooks set url = ?, events = ?, secret = ?, rate_limit = ?, enabled = ?, "
                        + "disabled_reason = ?, failing_since = ?, updated_at = ? where project_id = ? and id = ?",
                w.url(), String.join(",", w.events()), w.secret(), w.rateLimit(), w.enabled(), w.disabledReason(),
                ts(w.failingSince()), ts(now), w.projectId(), w.id());
        changed(tx, w.projectId());
    }

    void delete(DSLContext tx, Webhook w) {
        tx.execute("delete from webhook_deliveries where project_id = ? and webhook_id = ?", w.projectId(), w.id());
        tx.execute("delete from webhooks where project_id = ? and id = ?", w.projectId(), w.id());
        SendSlots.drop(tx, w.projectId(), w.lane());
        changed(tx, w.projectId());
    }

    /**
     * Disables the webhook with {@code reason} unless it is disabled already (a manual or earlier disable keeps its
     * reason); returns whether this call disabled it.
     */
    boolean disable(DSLContext tx, String projectId, String id, String reason, Instant now) {
        int n = tx.execute("update webhooks set enabled = false, disabled_reason = ?, updated_at = ? "
                + "where project_id = ? and id = ? and enabled = true", cut(reason, 500), ts(now), projectId, id);
        if (n == 1) changed(tx, projectId);
        return n == 1;
    }

    /** A failed attempt: starts the failure streak if none is running; returns when it started. */
    Instant failing(DSLContext tx, String projectId, String id, Instant now) {
        tx.execute("update webhooks set failing_since = ? where project_id = ? and id = ? and failing_since is null",
                ts(now), projectId, id);
        return tx.fetchOptional("select failing_since from webhooks where project_id = ? and id = ?", projectId, id)
                .map(r -> instant(r, "failing_since")).orElse(now);
    }

    /** A delivered attempt ends the failure streak. */
    void succeeded(DSLContext tx, String projectId, String id) {
        tx.execute("update webhooks set failing_since = null where project_id = ? and id = ? "
                + "and failing_since is not null", projectId, id);
    }

    /** Tells every node's cache of the project's webhooks to reload (the project's configuration version). */
    private static void changed(DSLContext tx, String projectId) {
        tx.execute("update projects set config_version = config_version + 1 where id = ?", projectId);
    }

    Optional<Webhook> find(DSLContext dsl, String projectId, String name) {
        return dsl.fetchOptional("select * from webhooks where project_id = ? and name = ?", projectId, name)
                .map(WebhookStore::webhook);
    }

    Optional<Webhook> findForUpdate(DSLContext tx, String projectId, String name) {
        return tx.fetchOptional("select * from webhooks where project_id = ? and name = ? for update", projectId, name)
                .map(WebhookStore::webhook);
    }

    Optional<Webhook> byId(String projectId, String id) {
        return db.dsl().fetchOptional("select * from webhooks where project_id = ? and id = ?", projectId, id)
                .map(WebhookStore::webhook);
    }

    /** In name order after {@code afterName}. */
    List<Webhook> list(String projectId, String afterName, int limit) {
        return db.dsl().fetch("select * from webhooks where project_id = ? and name > ? order by name limit ?",
                projectId, afterName, limit).map(WebhookStore::webhook);
    }

    /** Every webhook of the project, read in {@code tx} (the fan-out's cache). */
    List<Webhook> all(DSLContext tx, String projectId) {
        return tx.fetch("select * from webhooks where project_id = ?", projectId).map(WebhookStore::webhook);
    }

    long version(DSLContext tx, String projectId) {
        return tx.fetchValue("select config_version from projects where id = ?", projectId) instanceof Number n
                ? n.longValue() : -1;
    }

    // ---- deliveries ----

    void insertDelivery(DSLContext tx, String id, String projectId, String webhookId, String eventId, String type,
                        String status, String token, String body, Instant nextAttemptAt, Instant now) {
        tx.execute("insert into webhook_deliveries (id, seq, project_id, webhook_id, event_id, event_type, status, "
                        + "attempts, round_attempts, task_token, next_attempt_at, body, created_at, updated_at) "
                        + "values (?, nextval('webhook_delivery_seq'), ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?)",
                id, projectId, webhookId, eventId, type, status, token, ts(nextAttemptAt), body, ts(now), ts(now));
    }

    Optional<Delivery> delivery(DSLContext dsl, String projectId, String id) {
        return dsl.fetchOptional("select * from webhook_deliveries where project_id = ? and id = ?", projectId, id)
                .map(WebhookStore::delivery);
    }

    /** The delivery, locked until {@code tx} ends: the one place its attempts and re-queues are serialised. */
    Optional<Delivery> lockDelivery(DSLContext tx, String projectId, String id) {
        return tx.fetchOptional("select * from webhook_deliveries where project_id = ? and id = ? for update",
                        projectId, id)
                .map(WebhookStore::delivery);
    }

    /** Hands the delivery to a new task ({@code token}) due at {@code dueAt}; a new round of the schedule if asked. */
    void requeue(DSLContext tx, String projectId, String id, String token, Instant dueAt, boolean newRound,
                 Instant now) {
        tx.execute("update webhook_deliveries set status = 'PENDING', task_token = ?, next_attempt_at = ?, "
                + (newRound ? "round_attempts = 0, " : "") + "updated_at = ? where project_id = ? and id = ?", token,
                ts(dueAt), ts(now), projectId, id);
    }

    /** Ends the delivery with {@code status} (DELIVERED, FAILED, SKIPPED): no task acts on it any more. */
    void finish(DSLContext tx, String projectId, String id, String status, Instant now) {
        tx.execute("update webhook_deliveries set status = ?, task_token = null, next_attempt_at = null, updated_at = ? "
                + "where project_id = ? and id = ?", status, ts(now), projectId, id);
    }

    /** Records an attempt: what was sent, what came back (or why nothing did). */
    void attempted(DSLContext tx, String projectId, String id, Integer responseStatus, long durationMs, String error,
                   String headers, Instant now) {
        tx.execute("update webhook_deliveries set attempts = attempts + 1, round_attempts = round_attempts + 1, "
                        + "response_status = ?, duration_ms = ?, last_error = ?, request_headers = ?, updated_at = ? "
                        + "where project_id = ? and id = ?", responseStatus, durationMs, cut(error, 1000), headers,
                ts(now), projectId, id);
    }

    void error(DSLContext tx, String projectId, String id, String error, Instant now) {
        tx.execute("update webhook_deliveries set last_error = ?, updated_at = ? where project_id = ? and id = ?",
                cut(error, 1000), ts(now), projectId, id);
    }

    /** The webhook's deliveries newest first, before sequence {@code beforeSeq}, optionally of one status. */
    List<Delivery> deliveries(String projectId, String webhookId, String status, long beforeSeq, int limit) {
        List<Object> args = new ArrayList<>(List.of(projectId, webhookId, beforeSeq));
        String filter = "";
        if (status != null) {
            filter = " and status = ?";
            args.add(status);
        }
        args.add(limit);
        return db.dsl().fetch("select * from webhook_deliveries where project_id = ? and webhook_id = ? and seq < ?"
                + filter + " order by seq desc limit ?", args.toArray()).map(WebhookStore::delivery);
    }

    /** The ids of the webhook's FAILED and SKIPPED deliveries created at or after {@code since}, locked. */
    List<String> failedSince(DSLContext tx, String projectId, String webhookId, Instant since) {
        return tx.fetch("select id from webhook_deliveries where project_id = ? and webhook_id = ? "
                        + "and status in ('FAILED', 'SKIPPED') and created_at >= ? order by seq for update", projectId,
                webhookId, ts(since)).map(r -> r.get("id", String.class));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static Webhook webhook(Record r) {
        String events = r.get("events", String.class);
        return new Webhook(r.get("id", String.class), r.get("project_id", String.class), r.get("name", String.class),
                r.get("url", String.class), events.isEmpty() ? List.of() : Arrays.asList(events.split(",")),
                r.get("secret", String.class), r.get("rate_limit", Integer.class), r.get("enabled", Boolean.class),
                r.get("disabled_reason", String.class), instant(r, "failing_since"),
                instant(r, "created_at"), instant(r, "updated_at"));
    }

    private static Delivery delivery(Record r) {
        Object status = r.get("response_status");
        Object duration = r.get("duration_ms");
        return new Delivery(r.get("id", String.class), Sql.longValue(r.get("seq")), r.get("project_id", String.class),
                r.get("webhook_id", String.class), r.get("event_id", String.class), r.get("event_type", String.class),
                r.get("status", String.class), r.get("attempts", Integer.class), r.get("round_attempts", Integer.class),
                r.get("task_token", String.class), status == null ? null : ((Number) status).intValue(),
                duration == null ? null : Sql.longValue(duration), instant(r, "next_attempt_at"),
                r.get("last_error", String.class), r.get("body", String.class), r.get("request_headers", String.class),
                instant(r, "created_at"));
    }
}
