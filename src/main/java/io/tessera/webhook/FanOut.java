package io.tessera.webhook;

import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.outbox.Outbox;
import io.tessera.outbox.OutboxEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;

/**
 * Turns each outbox event into deliveries, inside the transaction that adds the event: one per enabled webhook of the
 * project subscribed to its type (or, for an event meant for one webhook, that webhook alone, whatever its events),
 * each with a task due at once; a disabled webhook's delivery is stored as SKIPPED. The project's webhooks are cached
 * per node and reloaded when the project's configuration version changes (checked at most every
 * {@code refreshMillis}), so an event no webhook wants costs no query.
 */
public final class FanOut implements Outbox.Subscriber {
    private static final java.util.concurrent.Executor WAKE_SOON = java.util.concurrent.CompletableFuture
            .delayedExecutor(20, java.util.concurrent.TimeUnit.MILLISECONDS);
    private static final java.util.concurrent.Executor WAKE_LATER = java.util.concurrent.CompletableFuture
            .delayedExecutor(150, java.util.concurrent.TimeUnit.MILLISECONDS);
    private final WebhookStore store;
    private final Deliveries deliveries;
    private final long refreshNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(List<Webhook> webhooks, long version, long checkedAt) {
    }

    FanOut(WebhookStore store, Deliveries deliveries, long refreshMillis) {
        this.store = store;
        this.deliveries = deliveries;
        this.refreshNanos = refreshMillis * 1_000_000L;
    }

    @Override
    public boolean added(DSLContext tx, OutboxEvent event) {
        List<Webhook> targets = new ArrayList<>();
        for (Webhook w : webhooks(tx, event.projectId())) {
            if (event.webhook() != null ? w.name().equals(event.webhook()) : w.events().contains(event.type()))
                targets.add(w);
        }
        if (targets.isEmpty()) return false;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", event.id());
        body.put("type", event.type());
        body.put("createdAt", event.createdAt());
        body.put("project", event.projectId());
        body.put("data", event.data());
        String text = Json.text(body);
        for (Webhook w : targets) {
            String id = Ids.next("dlv");
            if (w.enabled()) {
                String token = deliveries.queue(tx, event.projectId(), id, event.createdAt(), false, event.createdAt());
                store.insertDelivery(tx, id, event.projectId(), w.id(), event.id(), event.type(), Delivery.PENDING,
                        token, text, event.createdAt(), event.createdAt());
            } else {
                store.insertDelivery(tx, id, event.projectId(), w.id(), event.id(), event.type(), Delivery.SKIPPED,
                        null, text, null, event.createdAt());
            }
        }
        // Due at once, but committed only when the change's transaction ends, after this returns: the poller is woken
        // shortly after (most changes have committed by then), and once more a little later for slower transactions;
        // past that, its next regular look finds the task.
        WAKE_SOON.execute(deliveries::wake);
        WAKE_LATER.execute(deliveries::wake);
        return true;
    }

    /** The project's webhooks, as cached (reloaded, in {@code tx}, when its configuration version moved). */
    private List<Webhook> webhooks(DSLContext tx, String projectId) {
        long now = System.nanoTime();
        Cached c = cache.get(projectId);
        if (c != null && now - c.checkedAt() < refreshNanos) return c.webhooks();
        long version = store.version(tx, projectId);
        if (c != null && c.version() == version) {
            cache.put(projectId, new Cached(c.webhooks(), version, now));
            return c.webhooks();
        }
        List<Webhook> loaded = store.all(tx, projectId);
        cache.put(projectId, new Cached(loaded, version, now));
        return loaded;
    }

    /** Drops the cached webhooks of {@code projectId} (after a change committed through this node). */
    void invalidate(String projectId) {
        cache.remove(projectId);
    }
}
