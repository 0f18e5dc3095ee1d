package io.tessera.webhook;

import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Scheduler;
import io.tessera.job.SendSlots;
import io.tessera.job.Task;
import io.tessera.job.TaskHandler;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends deliveries: one scheduled task per attempt. A task carries the delivery's current {@code token}; it records its
 * attempt and schedules the next one (or ends the delivery) in one transaction with its own completion, so a delivery
 * has at most one task that may act on it, and a retry or recover that hands it to a new task turns the old one into a
 * no-op.
 *
 * <p>Schedule: an attempt at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure (±10 %
 * jitter), then FAILED. A 2xx answer is delivered; anything else, no answer within 10 s, a connection error or a
 * refused destination is a failed attempt. {@code 410 Gone} disables the webhook at once, and so do 5 days of failed
 * attempts with no success in between. Events for a disabled webhook end as SKIPPED.
 *
 * <p>Throttle: each attempt first reserves a send slot in the webhook's lane of {@link SendSlots}, {@code 1/rateLimit}
 * s after the previous one (the rate holds across nodes); a slot in the future re-schedules the attempt to it.
 */
public final class Deliveries implements TaskHandler {
    public static final String KIND = "webhook.delivery";
    /** Failures of the handler itself (the database), not of the receiver: those follow the schedule above. */
    public static final Retry RETRY = new Retry(5, Duration.ofSeconds(10));
    static final List<Duration> SCHEDULE = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
            Duration.ofHours(10));
    static final Duration DISABLE_AFTER = Duration.ofDays(5);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final WebhookStore store;
    private final Scheduler scheduler;
    private final Destinations destinations;
    private final Clock clock;
    private final java.util.function.Consumer<String> changed;
    // Redirects are never followed: a public URL could otherwise send us to a private address after the check.
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(TIMEOUT).build();

    /**
     * @param clock   real time, for the signatures' timestamps (receivers compare them with their own clocks)
     * @param changed told the project of a webhook this handler disabled (to drop this node's cache of them)
     */
    Deliveries(WebhookStore store, Scheduler scheduler, Destinations destinations, Clock clock,
               java.util.function.Consumer<String> changed) {
        this.store = store;
        this.scheduler = scheduler;
        this.destinations = destinations;
        this.clock = clock;
        this.changed = changed;
    }

    /**
     * Hands delivery {@code id} to a new task due at {@code dueAt}, inside {@code tx}; {@code slotTaken}: the throttle
     * slot at {@code dueAt} is reserved for it already. Returns the new token.
     */
    String queue(DSLContext tx, String projectId, String id, Instant dueAt, boolean slotTaken, Instant now) {
        String token = Ids.next("dtk");
        scheduler.enqueue(tx, NewTask.at(KIND, projectId, Map.of("delivery", id, "token", token, "slot", slotTaken),
                dueAt), now);
        return token;
    }

    /** Makes the poller look at once (after a commit that queued deliveries due now). */
    void wake() {
        scheduler.wake();
    }

    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        String id = task.payload().get("delivery").asText();
        String token = task.payload().get("token").asText();
        boolean slotTaken = task.payload().path("slot").asBoolean(false);
        Instant now = task.now();
        Delivery d = store.delivery(store.db().dsl(), projectId, id).orElse(null);
        if (d == null || !token.equals(d.taskToken())) return Outcome.DONE; // deleted, or handed to another task
        Webhook w = store.byId(projectId, d.webhookId()).orElse(null);
        if (w == null) return Outcome.DONE;
        if (!w.enabled()) {
            inTransaction(task, id, token, tx -> store.finish(tx, projectId, id, Delivery.SKIPPED, now));
            return Outcome.DONE;
        }
        if (!slotTaken) {
            Instant slot = SendSlots.reserve(store.db().dsl(), w.projectId(), w.lane(), w.rateLimit(), now);
            if (slot.isAfter(now)) {
                inTransaction(task, id, token, tx -> {
                    String next = queue(tx, w.projectId(), id, slot, true, now);
                    store.requeue(tx, projectId, id, next, slot, false, now);
                });
                return Outcome.DONE;
            }
        }
        Attempt a = attempt(w, d);
        boolean[] disabled = {false};
        inTransaction(task, id, token, tx -> disabled[0] = record(tx, w, d, a, now));
        if (disabled[0]) changed.accept(w.projectId());
        return Outcome.DONE;
    }

    /** Handler failures past {@link #RETRY}: the delivery is FAILED with the error. */
    @Override
    public void failed(DSLContext tx, Task task, String error, Instant now) {
        String projectId = task.projectId();
        String id = task.payload().get("delivery").asText();
        Delivery d = store.lockDelivery(tx, projectId, id).orElse(null);
        if (d == null || !task.payload().get("token").asText().equals(d.taskToken())) return;
        store.error(tx, projectId, id, error, now);
        store.finish(tx, projectId, id, Delivery.FAILED, now);
    }

    /**
     * Runs {@code work} in one transaction with the task's completion, if the delivery is still this task's (else
     * only completes the task).
     */
    private void inTransaction(RunningTask task, String id, String token, java.util.function.Consumer<DSLContext> work) {
        store.db().transaction(tx -> {
            Delivery d = store.lockDelivery(tx, task.task().projectId(), id).orElse(null);
            if (d != null && token.equals(d.taskToken()) && Delivery.PENDING.equals(d.status())) work.accept(tx);
            task.complete(tx);
            return null;
        });
    }

    /** What one attempt did: the answer's status (null: none), how long it took, and what went wrong. */
    private record Attempt(Integer status, long durationMs, String error, String headers) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    private Attempt attempt(Webhook w, Delivery d) {
        long unix = clock.instant().getEpochSecond();
        Map<String, String> signed = Signatures.headers(w.secret(), d.eventId(), d.body(), unix);
        String refusal = destinations.refusal(w.url());
        if (refusal != null) return new Attempt(null, 0, "destination refused: " + refusal, null);
        String headers = Json.text(signed);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(w.url())).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("User-Agent", "Tessera-Webhooks/1")
                .POST(HttpRequest.BodyPublishers.ofString(d.body()));
        signed.forEach(request::header);
        long start = System.nanoTime();
        try {
            HttpResponse<Void> r = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            long ms = (System.nanoTime() - start) / 1_000_000;
            String error = r.statusCode() / 100 == 2 ? null : "the receiver answered " + r.statusCode()
                    + (r.statusCode() / 100 == 3 ? " (redirects are not followed)" : "");
            return new Attempt(r.statusCode(), ms, error, headers);
        } catch (HttpTimeoutException e) {
            return new Attempt(null, (System.nanoTime() - start) / 1_000_000,
                    "no answer within " + TIMEOUT.toSeconds() + " s", headers);
        } catch (IOException e) {
            return new Attempt(null, (System.nanoTime() - start) / 1_000_000,
                    "could not connect: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    headers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering " + d.id(), e);
        }
    }

    /** Records the attempt and what follows it; returns whether it disabled the webhook. */
    private boolean record(DSLContext tx, Webhook w, Delivery d, Attempt a, Instant now) {
        store.attempted(tx, d.projectId(), d.id(), a.status(), a.durationMs(), a.error(), a.headers(), now);
        if (a.delivered()) {
            store.finish(tx, d.projectId(), d.id(), Delivery.DELIVERED, now);
            store.succeeded(tx, w.projectId(), w.id());
            return false;
        }
        if (a.status() != null && a.status() == 410) {
            store.finish(tx, d.projectId(), d.id(), Delivery.FAILED, now);
            return store.disable(tx, w.projectId(), w.id(), "the receiver answered 410 Gone at " + now, now);
        }
        Instant since = store.failing(tx, w.projectId(), w.id(), now);
        if (!since.plus(DISABLE_AFTER).isAfter(now)) {
            store.finish(tx, d.projectId(), d.id(), Delivery.FAILED, now);
            LOG.info("webhook {} of project {} disabled: failing since {}", w.name(), w.projectId(), since);
            return store.disable(tx, w.projectId(), w.id(), "no delivery succeeded for 5 days (failing since " + since
                    + ")", now);
        }
        int round = d.roundAttempts() + 1;
        if (round > SCHEDULE.size()) {
            store.finish(tx, d.projectId(), d.id(), Delivery.FAILED, now);
            return false;
        }
        Instant next = now.plus(jittered(SCHEDULE.get(round - 1))).truncatedTo(ChronoUnit.MICROS);
        String token = queue(tx, w.projectId(), d.id(), next, false, now);
        store.requeue(tx, d.projectId(), d.id(), token, next, false, now);
        return false;
    }

    /** {@code delay} ±10 %. */
    static Duration jittered(Duration delay) {
        double f = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
        return Duration.ofNanos((long) (delay.toNanos() * f));
    }
}
