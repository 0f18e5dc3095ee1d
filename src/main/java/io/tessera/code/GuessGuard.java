package io.tessera.code;

import io.tessera.discount.Reason;
import io.tessera.discount.Rejection;
import io.tessera.core.Failure;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down code guessing: failed checks of unknown codes ({@code code_not_found}) are counted per API key and per
 * client address over a sliding window; a caller past its limit is refused with 429 {@code too_many_failed_codes}
 * until enough of its failures have left the window.
 *
 * <p>Counts live in this node's memory: with N nodes behind a balancer, a guesser gets up to N times the limit, and a
 * restart forgets the counts. That bounds guessing well enough (a code space is at least 1000 times its codes) without
 * a database write per failed attempt. The key limit is higher than the address limit: one storefront key serves
 * every shopper, while one address is one shopper (or one guesser). Thread-safe.
 */
public final class GuessGuard {
    private static final Logger LOG = LoggerFactory.getLogger(GuessGuard.class);
    /** Beyond this many tracked callers, idle ones are forgotten (bounds memory under address rotation). */
    private static final int MAX_TRACKED = 100_000;
    private final int addressLimit;
    private final int keyLimit;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /**
     * @param addressLimit failures allowed per client address within {@code window}; 0 disables the guard
     * @param keyLimit     failures allowed per API key within {@code window}; 0 disables the per-key count
     */
    public GuessGuard(int addressLimit, int keyLimit, Duration window) {
        this(addressLimit, keyLimit, window, System::nanoTime);
    }

    GuessGuard(int addressLimit, int keyLimit, Duration window, LongSupplier nanoTime) {
        this.addressLimit = Math.max(0, addressLimit);
        this.keyLimit = addressLimit <= 0 ? 0 : Math.max(0, keyLimit);
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
    }

    public static GuessGuard disabled() {
        return new GuessGuard(0, 0, Duration.ofSeconds(1));
    }

    public boolean enabled() {
        return addressLimit > 0 && windowNanos > 0;
    }

    /** Refuses (429, with the seconds until the next attempt is allowed) a caller past its limit. */
    public void check(String keyId, String address) {
        if (!enabled()) return;
        long now = nanoTime.getAsLong();
        long wait = Math.max(wait("ip:" + address, addressLimit, now), wait("key:" + keyId, keyLimit, now));
        if (wait > 0) {
            refused.incrementAndGet();
            long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
            throw Failure.throttled("too_many_failed_codes", "too many checks of unknown codes; retry in " + seconds + " s", seconds);
        }
    }

    /** Counts {@code n} failed code checks by this caller (n = 0 does nothing). */
    public void recordFailures(String keyId, String address, int n) {
        if (!enabled() || n <= 0) return;
        failures.addAndGet(n);
        long now = nanoTime.getAsLong();
        record("ip:" + address, addressLimit, n, now);
        if (keyLimit > 0) record("key:" + keyId, keyLimit, n, now);
        if (windows.size() > MAX_TRACKED) forgetIdle(now);
    }

    /** Publishes {@link #refused()} and {@link #failures()} as counters. */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.FunctionCounter.builder("tessera.codes.guess.refused", this, GuessGuard::refused)
                .description("requests refused with 429 for too many unknown codes").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tessera.codes.guess.failures", this, GuessGuard::failures)
                .description("checks of codes that do not exist").register(registry);
    }

    /** How many requests were refused with 429 since start (a metric). */
    public long refused() {
        return refused.get();
    }

    /** How many failed code checks were counted since start (a metric). */
    public long failures() {
        return failures.get();
    }

    /** The {@code code_not_found} rejections among {@code rejected}. */
    public static int unknownCodes(Collection<Rejection> rejected) {
        int n = 0;
        for (Rejection r : rejected) if (r.reason() == Reason.CODE_NOT_FOUND) n++;
        return n;
    }

    /** The {@code code_not_found} rejections listed in a refused redemption's problem ({@code rejected[].reason}). */
    public static int unknownCodes(Failure refused) {
        if (!(refused.extra().get("rejected") instanceof List<?> list)) return 0;
        int n = 0;
        for (Object o : list) {
            if (o instanceof Map<?, ?> m && Reason.CODE_NOT_FOUND.code().equals(m.get("reason"))) n++;
        }
        return n;
    }

    private long wait(String caller, int limit, long now) {
        if (limit <= 0) return 0;
        Window w = windows.get(caller);
        return w == null ? 0 : w.wait(limit, windowNanos, now);
    }

    private void record(String caller, int limit, int n, long now) {
        Window w = windows.computeIfAbsent(caller, k -> new Window());
        if (w.add(n, limit, windowNanos, now)) {
            LOG.warn("code guessing suspected: {} failed {} code checks within {} s; refusing it for now",
                    caller, limit, windowNanos / 1_000_000_000L);
        }
    }

    private void forgetIdle(long now) {
        windows.entrySet().removeIf(e -> e.getValue().idle(windowNanos, now));
    }

    /** The times of a caller's most recent failures; at most {@code limit} are kept, which is all a check needs. */
    private static final class Window {
        private final ArrayDeque<Long> times = new ArrayDeque<>();

        synchronized long wait(int limit, long window, long now) {
            prune(window, now);
            // Blocked while `limit` failures are inside the window: until the oldest of them leaves it.
            return times.size() >= limit ? times.peekFirst() + window - now : 0;
        }

        /** True when this addition reaches the limit (the moment worth a log line). */
        synchronized boolean add(int n, int limit, long window, long now) {
            prune(window, now);
            boolean below = times.size() < limit;
            for (int i = 0; i < n; i++) {
                times.addLast(now);
                if (times.size() > limit) times.removeFirst();
            }
            return below && times.size() >= limit;
        }

        synchronized boolean idle(long window, long now) {
            prune(window, now);
            return times.isEmpty();
        }

        private void prune(long window, long now) {
            while (!times.isEmpty() && now - times.peekFirst() >= window) times.removeFirst();
        }
    }
}
