package io.tessera.webhook;

import io.tessera.core.NamedResources;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.audit.AuditLog;
import io.tessera.core.Actor;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import io.tessera.job.Scheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhooks: their configuration (create, list, read, patch, delete; audited as {@code webhook.*}, never with the
 * secret), their delivery log, and sending deliveries again (one, or every failed or skipped one since an instant).
 * The fan-out ({@link #fanOut()}, an outbox subscriber) and the sender ({@link #deliveries()}, a task handler) are
 * plugged in by {@code Application}.
 */
public final class Webhooks implements NamedResources {
    /** Every event type a webhook may subscribe to. */
    public static final Set<String> EVENT_TYPES = Set.of("redemption.created", "redemption.rolled_back",
            "code.published", "points.earned", "points.spent", "points.expired", "points.expiring", "tier.changed",
            "referral.converted", "automation.fired", "message.rendered", "customer.created");
    static final int DEFAULT_RATE_LIMIT = 20;
    static final int MAX_RATE_LIMIT = 1000;
    private static final int MAX_SECRET = 300;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    private static final Set<String> CREATE_FIELDS = Set.of("name", "url", "events", "secret", "rateLimit");
    private static final Set<String> PATCH_FIELDS = Set.of("url", "events", "secret", "rateLimit", "enabled");
    private static final Set<String> STATUSES = Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED,
            Delivery.SKIPPED);

    private final Database db;
    private final WebhookStore store;
    private final AuditLog audit;
    private final Destinations destinations;
    private final FanOut fanOut;
    private final Deliveries deliveries;

    /**
     * @param clock         real time (signature timestamps)
     * @param allowPrivate  whether webhook URLs may reach loopback, link-local and private addresses
     * @param refreshMillis how often a node checks whether another node changed the project's webhooks
     */
    public Webhooks(Database db, Scheduler scheduler, AuditLog audit, Clock clock, boolean allowPrivate,
                    long refreshMillis) {
        this.db = db;
        this.store = new WebhookStore(db);
        this.audit = audit;
        this.destinations = new Destinations(allowPrivate);
        this.deliveries = new Deliveries(store, scheduler, destinations, clock, this::invalidate);
        this.fanOut = new FanOut(store, deliveries, refreshMillis);
    }

    /** The outbox subscriber that makes deliveries. */
    public FanOut fanOut() {
        return fanOut;
    }

    /** The customer's personal data in delivery bodies (GDPR export and erasure). */
    public io.tessera.customer.PersonalData personalData() {
        return new DeliveredPersonalData(db);
    }

    /** The task handler that sends them ({@link Deliveries#KIND}). */
    public Deliveries deliveries() {
        return deliveries;
    }

    // ---- configuration ----

    /**
     * Creates a webhook. Without a {@code secret} one is generated ({@code whsec_} + 32 random bytes in base64) and
     * returned in this answer only, as {@code secret}; a given secret is never returned.
     */
    @Override
    public Map<String, Object> create(ProjectContext p, Actor actor, JsonNode body, Instant now) {
        Input in = Input.of(body).allow(CREATE_FIELDS);
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String url = url(in, true);
        List<String> events = events(in, true);
        String given = secret(in);
        Long rate = in.integer("rateLimit", false, 1, MAX_RATE_LIMIT);
        in.check();
        String secret = given != null ? given : Signatures.STANDARD_PREFIX
                + Base64.getEncoder().encodeToString(randomBytes(32));
        Webhook w = new Webhook(Ids.next("whk"), p.id(), name, url, events, secret,
                rate == null ? DEFAULT_RATE_LIMIT : rate.intValue(), true, null, null, now, now);
        if (store.find(db.dsl(), p.id(), name).isPresent()) throw nameTaken(name);
        try {
            db.transaction(tx -> {
                store.insert(tx, w);
                audit.record(tx, p, actor, "webhook.created", resource(name), null, w.view(), now);
                return null;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw nameTaken(name);
            throw e;
        }
        fanOut.invalidate(p.id());
        Map<String, Object> answer = new LinkedHashMap<>(Json.toMap(Json.MAPPER.valueToTree(w.view())));
        if (given == null) answer.put("secret", secret);
        return answer;
    }

    /**
     * The checks of a definition's name, URL form, events and rate limit, which need neither the database nor a name
     * lookup: an import runs them on a document's webhooks before applying anything. Returns the name.
     */
    public static String checkDefinition(Input in) {
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String url = in.string("url", true);
        String malformed = url == null ? null : Destinations.malformed(url);
        if (malformed != null) in.fail("url", malformed);
        events(in, true);
        in.integer("rateLimit", false, 1, MAX_RATE_LIMIT);
        return name;
    }

    /** Whether the project has a webhook of that name (an automation's WEBHOOK action names one). */
    public boolean exists(ProjectContext p, String name) {
        return store.find(db.dsl(), p.id(), name).isPresent();
    }

    @Override
    public Webhook.View get(ProjectContext p, String name) {
        return webhook(p, name).view();
    }

    /** In name order. */
    @Override
    public Page<Webhook.View> list(ProjectContext p, Page.Request page) {
        String after = page.cursor() == null ? "" : page.cursor();
        return Page.of(store.list(p.id(), after, page.limit() + 1), page.limit(), Webhook::view, Webhook::name);
    }

    /**
     * Changes url, events, secret, rateLimit; {@code "enabled": true} re-enables a disabled webhook (clearing its
     * reason and failure streak), {@code false} disables it. The name is fixed.
     */
    @Override
    public Webhook.View patch(ProjectContext p, Actor actor, String name, JsonNode body, Instant now) {
        Input in = Input.of(body);
        if (in.has("name") && !name.equals(in.raw("name").asText())) in.fail("name", "cannot be changed");
        in.allow(union(PATCH_FIELDS, Set.of("name")));
        String url = in.has("url") ? url(in, true) : null;
        List<String> events = in.has("events") ? events(in, true) : null;
        String secret = secret(in);
        Long rate = in.integer("rateLimit", false, 1, MAX_RATE_LIMIT);
        Boolean enabled = in.bool("enabled", false);
        in.check();
        Webhook.View after = db.transaction(tx -> {
            Webhook w = store.findForUpdate(tx, p.id(), name).orElseThrow(() -> notFound(name));
            boolean on = enabled == null ? w.enabled() : enabled;
            String reason = on ? null : enabled != null && w.enabled() ? "disabled through the API" : w.disabledReason();
            Webhook changed = new Webhook(w.id(), w.projectId(), w.name(), url == null ? w.url() : url,
                    events == null ? w.events() : events, secret == null ? w.secret() : secret,
                    rate == null ? w.rateLimit() : rate.intValue(), on, reason,
                    on && !w.enabled() ? null : w.failingSince(), w.createdAt(), now);
            store.update(tx, changed, now);
            audit.record(tx, p, actor, "webhook.updated", resource(name), w.view(), changed.view(), now);
            return changed.view();
        });
        fanOut.invalidate(p.id());
        return after;
    }

    /** Deletes the webhook and its delivery log; deliveries still queued are dropped. */
    @Override
    public void delete(ProjectContext p, Actor actor, String name, Instant now) {
        db.transaction(tx -> {
            Webhook w = store.findForUpdate(tx, p.id(), name).orElseThrow(() -> notFound(name));
            store.delete(tx, w);
            audit.record(tx, p, actor, "webhook.deleted", resource(name), w.view(), null, now);
            return null;
        });
        fanOut.invalidate(p.id());
    }

    // ---- the delivery log ----

    /** Newest first, optionally of one status. */
    public Page<Map<String, Object>> deliveries(ProjectContext p, String name, String status, Page.Request page) {
        if (status != null && !STATUSES.contains(status))
            throw Failure.invalid("status", "must be one of PENDING, DELIVERED, FAILED, SKIPPED");
        Webhook w = webhook(p, name);
        long before = page.cursor() == null ? Long.MAX_VALUE : page.longCursor();
        return Page.of(store.deliveries(p.id(), w.id(), status, before, page.limit() + 1), page.limit(), Delivery::view,
                d -> Long.toString(d.seq()));
    }

    /** One delivery with the request last sent and the last error. */
    public Map<String, Object> delivery(ProjectContext p, String name, String id) {
        Webhook w = webhook(p, name);
        return delivery(w, id).detail(w.url());
    }

    /**
     * Sends the delivery again, whatever its status, from the start of the retry schedule; a task it had queued does
     * nothing any more. Refused (409 {@code webhook_disabled}) while the webhook is disabled.
     */
    public Map<String, Object> retry(ProjectContext p, String name, String id, Instant now) {
        Webhook w = enabled(p, name);
        delivery(w, id);
        Map<String, Object> answer = db.transaction(tx -> {
            Delivery d = store.lockDelivery(tx, p.id(), id).orElseThrow(() -> notFoundDelivery(id));
            String token = deliveries.queue(tx, p.id(), d.id(), now, false, now);
            store.requeue(tx, p.id(), d.id(), token, now, true, now);
            return store.delivery(tx, p.id(), id).orElseThrow().view();
        });
        deliveries.wake();
        return answer;
    }

    /** Queues again every FAILED or SKIPPED delivery created at or after {@code since}; returns how many. */
    public Map<String, Object> recover(ProjectContext p, String name, JsonNode body, Instant now) {
        Input in = Input.of(body).allow(Set.of("since"));
        if (!in.has("since")) in.fail("since", "is required");
        Instant since = Checks.instant(in, "since");
        in.check();
        Webhook w = enabled(p, name);
        int n = db.transaction(tx -> {
            List<String> ids = store.failedSince(tx, p.id(), w.id(), since);
            for (String id : ids) {
                String token = deliveries.queue(tx, p.id(), id, now, false, now);
                store.requeue(tx, p.id(), id, token, now, true, now);
            }
            return ids.size();
        });
        deliveries.wake();
        return Map.of("recovered", n);
    }

    // ---- helpers ----

    /** A webhook changed on this node (the sender disabled one): this node's fan-out reloads them. */
    private void invalidate(String projectId) {
        fanOut.invalidate(projectId);
    }

    private Webhook webhook(ProjectContext p, String name) {
        return store.find(db.dsl(), p.id(), name).orElseThrow(() -> notFound(name));
    }

    private Webhook enabled(ProjectContext p, String name) {
        Webhook w = webhook(p, name);
        if (!w.enabled()) throw Failure.conflict("webhook_disabled", "webhook " + name
                + " is disabled; enable it first (PATCH {\"enabled\": true})");
        return w;
    }

    private Delivery delivery(Webhook w, String id) {
        Delivery d = store.delivery(db.dsl(), w.projectId(), id).orElse(null);
        if (d == null || !d.webhookId().equals(w.id())) throw notFoundDelivery(id);
        return d;
    }

    private String url(Input in, boolean required) {
        String url = in.string("url", required);
        if (url == null) return null;
        String malformed = Destinations.malformed(url);
        if (malformed == null) malformed = destinations.refusal(url);
        if (malformed != null) {
            in.fail("url", malformed);
            return null;
        }
        return url;
    }

    private static List<String> events(Input in, boolean required) {
        List<String> events = in.strings("events", required);
        if (events == null) return null;
        if (events.isEmpty()) in.fail("events", "must name at least one event type");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < events.size(); i++) {
            if (!EVENT_TYPES.contains(events.get(i))) {
                in.fail("events[" + i + "]", "unknown event type; one of " + String.join(", ",
                        new java.util.TreeSet<>(EVENT_TYPES)));
            }
            out.add(events.get(i));
        }
        return new ArrayList<>(out);
    }

    /** A secret: 1-300 characters; a {@code whsec_} one must hold base64 (Standard Webhooks key, 24-64 bytes). */
    private static String secret(Input in) {
        String s = in.string("secret", false);
        if (s == null) return null;
        if (s.isEmpty() || s.length() > MAX_SECRET) {
            in.fail("secret", "must be 1-" + MAX_SECRET + " characters");
            return null;
        }
        if (s.startsWith(Signatures.STANDARD_PREFIX)) {
            try {
                int n = Base64.getDecoder().decode(s.substring(Signatures.STANDARD_PREFIX.length())).length;
                if (n < 24 || n > 64) {
                    in.fail("secret", "a whsec_ secret must hold 24 to 64 bytes in base64");
                    return null;
                }
            } catch (IllegalArgumentException e) {
                in.fail("secret", "a whsec_ secret must be followed by base64");
                return null;
            }
        }
        return s;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new LinkedHashSet<>(a);
        u.addAll(b);
        return u;
    }

    static String resource(String name) {
        return "webhook/" + name;
    }

    private static Failure nameTaken(String name) {
        return Failure.conflict("name_taken", "a webhook named '" + name + "' exists already");
    }

    private static Failure notFound(String name) {
        return Failure.notFound("webhook " + name);
    }

    private static Failure notFoundDelivery(String id) {
        return Failure.notFound("delivery " + id);
    }
}
