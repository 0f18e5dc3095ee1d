package io.tessera.code;

import static io.tessera.db.Sql.marks;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tessera.core.Failure;
import io.tessera.core.Keys;
import io.tessera.db.Database;
import io.tessera.db.Pipeline;
import io.tessera.discount.Reason;
import io.tessera.discount.Rejection;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down code guessing. Checks of codes that do not exist ({@code code_not_found}) are counted per client (see
 * {@link Caller}) and per API key over a sliding window, in the database, so the limits hold across every node. A
 * request naming {@code k} codes is admitted only while each of its counts has room for {@code k} more failures,
 * whatever its codes are; otherwise it gets 429 {@code too_many_failed_codes}. A refused client learns nothing about
 * its codes (no oracle), and a request naming no code is never refused.
 *
 * <p>Exact under concurrency: before evaluating, a request reserves one failure per named code that has no row in
 * {@code codes}, in the same locked statement sequence that checks for room, so no burst on any number of nodes gets
 * more unknown codes answered than the limit. After evaluating, {@link Admission#settle} reconciles the reservation
 * with the engine's typed rejections (a code created or dropped in between). A request whose codes all exist
 * reserves nothing: it only reads its counts.
 */
public final class GuessGuard {
    private static final Logger LOG = LoggerFactory.getLogger(GuessGuard.class);
    private static final int ATTEMPTS = 10;
    private final Database db;
    private final int clientLimit;
    private final int keyLimit;
    private final long windowSeconds;
    /** Failures are kept in buckets of this many seconds: at most ~60 buckets whatever the window. */
    private final long bucketSeconds;
    private final InstantSource clock;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong nextSweep = new AtomicLong();

    /**
     * @param clientLimit unknown codes allowed per client within {@code window}; 0 turns the per-client count off
     * @param keyLimit    unknown codes allowed per API key within {@code window}; 0 turns the per-key count off
     * @param clock       server time (not a request's test instant: a client must not move its own window)
     */
    public GuessGuard(Database db, int clientLimit, int keyLimit, Duration window, InstantSource clock) {
        this.db = db;
        this.clientLimit = Math.max(0, clientLimit);
        this.keyLimit = Math.max(0, keyLimit);
        this.windowSeconds = Math.max(0, window.toSeconds());
        this.bucketSeconds = Math.max(1, Math.ceilDiv(windowSeconds, 60));
        this.clock = clock;
    }

    public boolean enabled() {
        return windowSeconds > 0 && (clientLimit > 0 || keyLimit > 0);
    }

    /**
     * Whom a request counts against: a client within its project, and its API key. A server key (redeem or admin
     * scope) names its shopper, so the client is the customer id; a browser key's {@code customer} is the browser's to
     * choose, so it counts by address, as does a request naming no customer.
     */
    public record Caller(String projectId, String keyId, String client) {
        public static Caller of(String projectId, String keyId, boolean serverKey, String customerId, String address) {
            return new Caller(projectId, keyId,
                    serverKey && customerId != null ? "customer:" + customerId : "address:" + address);
        }
    }

    /** One of a caller's counts: its row id (a hash: no customer id or address is stored), its limit, what it is. */
    private record Tally(String scope, int limit, String what) {
    }

    /**
     * Admits a request naming {@code named} codes (normalised, distinct), reserving a failure for each that does not
     * exist, or refuses it: 429 with the seconds until enough counted failures leave the window.
     */
    public Admission admit(Caller caller, List<String> named) {
        return admit(caller, named, new Pipeline(db));
    }

    /**
     * {@link #admit(Caller, List)}, reading the named codes and the caller's counts with {@code reads}, which it runs
     * (always, even with nothing of its own to add): a checkout's other reads, its customer's, ride along in the same
     * round trip. The codes found are handed on to the checkout ({@link Admission#codes}).
     */
    public Admission admit(Caller caller, List<String> named, Pipeline reads) {
        Pipeline.Read<CodeRow> codes = named.isEmpty() ? null : CodeStore.find(reads, caller.projectId(), named);
        List<Tally> tallies = new ArrayList<>(2);
        if (!named.isEmpty() && enabled()) {
            if (clientLimit > 0) {
                tallies.add(new Tally(hash("client", caller.projectId(), caller.client()), clientLimit, caller.client()));
            }
            if (keyLimit > 0) tallies.add(new Tally(hash("key", caller.keyId()), keyLimit, "key " + caller.keyId()));
        }
        Pipeline.Read<Map.Entry<String, GuessWindow>> counts = tallies.isEmpty() ? null
                : reads.read("select scope, failures from guess_windows where scope in ("
                        + marks(tallies.size()) + ")",
                        rs -> Map.entry(rs.getString(1), GuessWindow.parse(rs.getString(2))), scopes(tallies));
        reads.run();
        Map<String, CodeRow> found = codes == null ? null : CodeStore.byCode(codes.rows());
        if (tallies.isEmpty()) return new Admission(List.of(), 0, 0, found);
        Map<String, GuessWindow> windows = new HashMap<>();
        for (var w : counts.rows()) windows.put(w.getKey(), w.getValue());
        int unknown = 0;
        for (String code : named) if (!found.containsKey(code)) unknown++;
        long now = clock.millis();
        if (unknown == 0) {
            // Nothing to reserve: the read decides, with the same rule a reservation applies.
            refuseWithoutRoom(tallies, windows, named.size(), now);
            return new Admission(tallies, 0, 0, found);
        }
        long stamp = stamp(now);
        int reserve = unknown;
        change(tallies, now, locked -> refuseWithoutRoom(tallies, locked, named.size(), now),
                w -> w.plus(stamp, reserve));
        sweepNowAndThen(now);
        return new Admission(tallies, reserve, stamp, found);
    }

    /** A request let through: {@link #settle} it once its codes were evaluated (or it failed). */
    public final class Admission {
        private final List<Tally> tallies;
        private final int reserved;
        private final long stamp;
        private final Map<String, CodeRow> codes;

        private Admission(List<Tally> tallies, int reserved, long stamp, Map<String, CodeRow> codes) {
            this.tallies = tallies;
            this.reserved = reserved;
            this.stamp = stamp;
            this.codes = codes;
        }

        /** The named codes that exist, as read when admitting (null when the request named none). */
        public Map<String, CodeRow> codes() {
            return codes;
        }

        /**
         * Counts the {@code code_not_found} rejections among {@code rejected} (empty when the request failed before
         * or without evaluating its codes): gives back the reservations of codes that turned out to exist, and counts
         * unknown codes the row lookup did not foresee. Never throws: the answer is decided already.
         */
        public void settle(Collection<Rejection> rejected) {
            if (tallies.isEmpty()) return;
            int unknown = 0;
            for (Rejection r : rejected) if (r.reason() == Reason.CODE_NOT_FOUND) unknown++;
            failures.addAndGet(unknown);
            int extra = unknown - reserved;
            if (extra == 0) return;
            long now = clock.millis();
            long at = extra > 0 ? stamp(now) : stamp;
            try {
                change(tallies, now, windows -> {
                }, w -> extra > 0 ? w.plus(at, extra) : w.minus(at, -extra));
            } catch (RuntimeException e) {
                LOG.warn("could not settle {} code-guessing reservations: {}", extra, e.toString());
            }
        }
    }

    /** Publishes {@link #refused()} and {@link #failures()} as counters. */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("tessera.codes.guess.refused", this, GuessGuard::refused)
                .description("requests refused with 429 for too many unknown codes").register(registry);
        FunctionCounter.builder("tessera.codes.guess.failures", this, GuessGuard::failures)
                .description("checks of codes that do not exist").register(registry);
    }

    /** How many requests were refused with 429 since start (a metric). */
    public long refused() {
        return refused.get();
    }

    /** How many checks of codes that do not exist were answered since start (a metric). */
    public long failures() {
        return failures.get();
    }

    /** Throws 429 when one of the tallies has no room for {@code named} more failures. */
    private void refuseWithoutRoom(List<Tally> tallies, Map<String, GuessWindow> windows, int named, long now) {
        long wait = 0;
        for (Tally t : tallies) {
            GuessWindow w = windows.getOrDefault(t.scope(), GuessWindow.EMPTY).live(now, windowSeconds);
            int excess = w.count() + named - t.limit();
            if (excess > 0) wait = Math.max(wait, w.secondsUntilFreed(excess, now, windowSeconds));
        }
        if (wait > 0) {
            refused.incrementAndGet();
            throw Failure.throttled("too_many_failed_codes", "too many checks of unknown codes; retry in " + wait + " s", wait);
        }
    }

    /**
     * In one transaction: locks the tallies' rows (in scope order, so two requests never wait on each other in a
     * cycle), runs {@code check} on them (it may throw), then writes {@code change} of each. Missing rows are created
     * first, outside the lock, and the transaction runs again.
     */
    private void change(List<Tally> tallies, long now, Consumer<Map<String, GuessWindow>> check,
                        UnaryOperator<GuessWindow> change) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<Tally> reached = db.transaction(tx -> {
                    Map<String, GuessWindow> windows = lock(tx, tallies);
                    if (windows.size() < tallies.size()) return null;
                    check.accept(windows);
                    List<Tally> full = new ArrayList<>();
                    for (Tally t : tallies) {
                        GuessWindow before = windows.get(t.scope()).live(now, windowSeconds);
                        GuessWindow after = change.apply(before);
                        tx.execute("update guess_windows set failures = ?, expires_at = ? where scope = ?",
                                after.text(), after.expiresAt(windowSeconds), t.scope());
                        if (before.count() < t.limit() && after.count() >= t.limit()) full.add(t);
                    }
                    return full;
                });
                if (reached != null) {
                    for (Tally t : reached) {
                        LOG.warn("code guessing suspected: {} checked {} unknown codes within {} s; refusing it for now",
                                t.what(), t.limit(), windowSeconds);
                    }
                    return;
                }
                for (Tally t : tallies) {
                    db.dsl().execute("insert into guess_windows (scope, failures, expires_at) values (?, '', ?) "
                            + "on conflict do nothing", t.scope(), now / 1000 + windowSeconds);
                }
            } catch (RuntimeException e) {
                if (!Database.isRetryable(e)) throw e;
            }
            if (attempt >= ATTEMPTS) throw new IllegalStateException("code-guessing counts stayed contended");
        }
    }

    private static Map<String, GuessWindow> lock(DSLContext tx, List<Tally> tallies) {
        Map<String, GuessWindow> out = new HashMap<>();
        tx.fetch("select scope, failures from guess_windows where scope in (" + marks(tallies.size())
                        + ") order by scope for update", scopes(tallies))
                .forEach(r -> out.put(r.get(0, String.class), GuessWindow.parse(r.get(1, String.class))));
        return out;
    }

    /** About once a window per node: deletes the rows whose failures have all left the window. */
    private void sweepNowAndThen(long now) {
        long due = nextSweep.get();
        if (now < due || !nextSweep.compareAndSet(due, now + windowSeconds * 1000)) return;
        try {
            db.dsl().execute("delete from guess_windows where expires_at < ?", now / 1000);
        } catch (RuntimeException e) {
            LOG.warn("could not sweep code-guessing counts: {}", e.toString());
        }
    }

    /** The bucket a failure at {@code nowMillis} falls into, named by the second it ends at. */
    private long stamp(long nowMillis) {
        return Math.ceilDiv(nowMillis, bucketSeconds * 1000) * bucketSeconds;
    }

    private static Object[] scopes(List<Tally> tallies) {
        return tallies.stream().map(Tally::scope).toArray();
    }

    /** SHA-256 of the parts, each followed by a zero byte (the scopes stored so far were hashed that way). */
    static String hash(String... parts) {
        StringBuilder joined = new StringBuilder(96);
        for (String p : parts) joined.append(p).append('\0');
        return Keys.hash(joined.toString());
    }
}
