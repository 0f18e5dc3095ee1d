package io.tessera.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.proxy.optimization.skiponzero.SkipSyncOnZeroOptimization;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.javalin.http.Context;
import io.tessera.core.Failure;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per second per API key (docs/rate-limits.md): a token bucket of {@code limit} tokens refilled whole every
 * second. On PostgreSQL the bucket is shared by every node (Bucket4j, one row of {@code rate_buckets} per key and
 * limit); each node answers from its own copy and settles with the row in batches of a twentieth of the limit, so a
 * key costs a node about twenty short transactions a second however busy it is, and the nodes together may let
 * through at most that twentieth per node beyond the limit. Limits under 20 settle every request they let through
 * (exact), and refuse from the node's copy without touching the database. On H2, one node, the buckets are in memory.
 */
public final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    /** Each node settles with the shared bucket after using this share of the limit, or after this long. */
    private static final int BATCH_DIVISOR = 20;
    private static final Duration MAX_UNSETTLED = Duration.ofSeconds(1);
    private static final int MAX_CACHED = 10_000;
    private final Function<Integer, Function<String, Bucket>> factory;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private RateLimits(Function<Integer, Function<String, Bucket>> factory) {
        this.factory = factory;
    }

    /** Buckets in this node's memory: exact, and right only where one node serves the database (H2). */
    public static RateLimits local() {
        return new RateLimits(limit -> id -> Bucket.builder().addLimit(bandwidth(limit)).build());
    }

    /** Buckets shared through the {@code rate_buckets} table of a PostgreSQL database. */
    public static RateLimits shared(DataSource dataSource) {
        ProxyManager<String> proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING).table("rate_buckets").idColumn("id").stateColumn("state")
                .build();
        return new RateLimits(limit -> id -> proxies.builder().withOptimization(optimization(limit))
                .build(id, () -> BucketConfiguration.builder().addLimit(bandwidth(limit)).build()));
    }

    private static io.github.bucket4j.Bandwidth bandwidth(int limit) {
        return io.github.bucket4j.Bandwidth.builder().capacity(limit).refillIntervally(limit, Duration.ofSeconds(1))
                .build();
    }

    private static Optimization optimization(int limit) {
        int batch = limit / BATCH_DIVISOR;
        if (batch == 0) return new SkipSyncOnZeroOptimization(NopeOptimizationListener.INSTANCE,
                TimeMeter.SYSTEM_MILLISECONDS);
        return Optimizations.delaying(new DelayParameters(batch, MAX_UNSETTLED));
    }

    /**
     * Takes one request from the key's bucket and says so in {@code RateLimit-Limit}, {@code RateLimit-Remaining},
     * {@code RateLimit-Reset} (seconds until the bucket is full again) and {@code RateLimit-Policy}; an empty bucket
     * is a 429 {@code rate_limited} with {@code Retry-After}. Should the shared buckets fail, the request goes through
     * unlimited rather than fail with them.
     */
    void admit(Context ctx, String keyId, int limit) {
        ConsumptionProbe probe;
        try {
            if (buckets.size() > MAX_CACHED) buckets.clear();
            // The limit is part of the bucket's id: a changed limit starts a new bucket on every node at once.
            String id = keyId + ":" + limit;
            probe = buckets.computeIfAbsent(id, factory.apply(limit)).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            LOG.warn("rate limit of key {} not checked: {}", keyId, e.toString());
            return;
        }
        ctx.header("RateLimit-Limit", Integer.toString(limit));
        ctx.header("RateLimit-Remaining", Long.toString(probe.getRemainingTokens()));
        ctx.header("RateLimit-Reset", Long.toString(seconds(probe.getNanosToWaitForReset())));
        ctx.header("RateLimit-Policy", limit + ";w=1");
        if (!probe.isConsumed()) {
            long retry = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
            throw Failure.throttled("rate_limited", "this API key may make " + limit
                    + " requests per second; try again in " + retry + " s", retry);
        }
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
