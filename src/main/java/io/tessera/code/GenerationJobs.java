package io.tessera.code;

import io.tessera.db.Database;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Ids;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk code generation as durable jobs. A job row is written first (with this node's lease), then codes are made in
 * chunks, each chunk inserted and counted in one transaction: after any crash, {@code done} is exactly the number of
 * codes the job made, and the job resumes with {@code total - done}.
 *
 * <p>Small jobs run inline in the request; larger ones on a small worker pool. A heartbeat renews the leases of the
 * jobs this node holds; a sweep (at start, then periodically) claims RUNNING jobs nobody holds — left by a stopped
 * or dead node — and resumes them. Leases are timed with this node's clock, so nodes' clocks must roughly agree
 * (within a fraction of {@link #LEASE}).
 */
public final class GenerationJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationJobs.class);
    /** Up to this many codes are generated inside the request that asks for them (answered 201). */
    public static final long INLINE_MAX = 1_000;
    public static final long MAX_COUNT = 10_000_000;
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration SWEEP = Duration.ofSeconds(15);
    private static final int BARREN_ROUNDS = 10;
    private static final int ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final JobStore jobs;
    private final CodeStore codes;
    private final BulkCodes bulk;
    private final Clock clock;
    private final int chunk;
    /** The jobs this node holds, with the token of its claim. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("code-jobs-lease"));
    private final ExecutorService workers = Executors.newFixedThreadPool(2, daemon("code-jobs"));
    private volatile boolean stopping;

    public GenerationJobs(Database db, JobStore jobs, CodeStore codes, Clock clock) {
        this.db = db;
        this.jobs = jobs;
        this.codes = codes;
        this.bulk = new BulkCodes(db);
        this.clock = clock;
        // COPY moves large chunks cheaply; H2's batches are row by row, so smaller chunks show progress sooner.
        this.chunk = db.postgres() ? 100_000 : 10_000;
    }

    /** Starts the lease heartbeat and the sweep; the first sweep, right away, resumes jobs a previous run left. */
    public GenerationJobs start() {
        scheduler.scheduleWithFixedDelay(this::sweep, 0, SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Creates a job for {@code count} codes of {@code pattern}, refusing (422, nothing written) what would make the
     * campaign's codes guessable, counting the codes it has and those its running jobs are still to make. Runs small
     * jobs before returning; returns the job as it then is.
     *
     * @param patternGiven whether the caller chose the pattern (then the refusal names {@code pattern} as well)
     */
    public GenerationJob create(String projectId, String campaignId, CodePattern pattern, long count,
                                boolean patternGiven, Instant now) {
        String id = Ids.next("job");
        String token = Ids.next("lease");
        db.transaction(tx -> {
            // One job creation at a time per campaign, so two requests cannot both pass the guessability check.
            tx.execute("select id from campaigns where id = ? for update", campaignId);
            long existing = codes.count(tx, campaignId);
            long pending = jobs.pending(tx, campaignId);
            String refusal = pattern.refusal(existing + pending + count);
            if (refusal != null) {
                String had = existing + pending == 0 ? "" : " (the campaign has " + existing + " codes"
                        + (pending > 0 ? " and jobs are making " + pending + " more" : "") + ")";
                List<FieldError> errors = new ArrayList<>();
                errors.add(new FieldError("count", refusal + had));
                if (patternGiven) errors.add(new FieldError("pattern", "allows too few codes for " + count + " more"
                        + had));
                throw Failure.invalid(errors);
            }
            jobs.insert(tx, new GenerationJob(id, projectId, campaignId, null, GenerationJob.RUNNING, count, 0,
                    pattern.pattern(), pattern.charset(), null, now, null), token, leaseEnd());
            return null;
        });
        held.put(id, token);
        if (count <= INLINE_MAX) run(id, token);
        else submit(id, token);
        return jobs.find(id).orElseThrow();
    }

    private void submit(String id, String token) {
        try {
            workers.execute(() -> run(id, token));
        } catch (RejectedExecutionException e) {
            // Shutting down: give the job back; the next start resumes it.
            held.remove(id);
            jobs.release(id, token);
        }
    }

    /** Makes the job's remaining codes, chunk by chunk, while this node holds its lease. */
    void run(String id, String token) {
        try {
            GenerationJob job = jobs.find(id).orElseThrow();
            RandomCodes random = new RandomCodes(job.codePattern(), RANDOM);
            long remaining = job.total() - job.done();
            boolean optimistic = true;
            int barren = 0;
            CompletableFuture<List<String>> next = null;
            while (remaining > 0) {
                if (stopping) {
                    jobs.release(id, token);
                    LOG.info("code job {} paused at {} of {} codes by shutdown", id, job.total() - remaining, job.total());
                    return;
                }
                List<String> batch = next != null ? next.join() : random.distinct((int) Math.min(remaining, chunk));
                // Draw the next chunk while the database stores this one (the one drawing is done before the next).
                long planned = remaining - batch.size();
                next = planned > 0 ? draw(random, (int) Math.min(planned, chunk)) : null;
                int landed = insert(job, token, batch, optimistic);
                optimistic &= landed == batch.size();
                remaining -= landed;
                barren = landed == 0 ? barren + 1 : 0;
                if (barren == BARREN_ROUNDS) {
                    jobs.fail(id, token, "no unused codes found in " + BARREN_ROUNDS + " rounds: the pattern's codes are "
                            + "nearly all taken in this project", clock.instant());
                    return;
                }
            }
            if (jobs.finish(id, token, clock.instant())) LOG.info("code job {} made {} codes", id, job.total());
        } catch (LeaseLost e) {
            LOG.warn("code job {}: lease lost to another node; stopping here", id);
        } catch (RuntimeException e) {
            LOG.error("code job {} failed", id, e);
            jobs.fail(id, token, "generation failed: " + e.getMessage(), clock.instant());
        } finally {
            held.remove(id, token);
        }
    }

    private static CompletableFuture<List<String>> draw(RandomCodes random, int n) {
        return CompletableFuture.supplyAsync(() -> random.distinct(n), r -> Thread.ofVirtual().start(r));
    }

    /** One chunk: the codes and the job's count move together, or not at all. */
    private int insert(GenerationJob job, String token, List<String> batch, boolean optimistic) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.transaction(tx -> {
                    int landed = bulk.insertNew(tx, job.projectId(), job.campaignId(), batch, job.createdAt(),
                            optimistic);
                    if (!jobs.progress(tx, job.id(), token, landed, leaseEnd())) throw new LeaseLost();
                    return landed;
                });
            } catch (LeaseLost e) {
                throw e;
            } catch (RuntimeException e) {
                // Two transactions inserting one code at the same instant can collide (H2) or deadlock: try again.
                if (attempt >= ATTEMPTS || !(Database.isRetryable(e) || Database.isUniqueViolation(e))) throw e;
            }
        }
    }

    private void heartbeat() {
        try {
            for (var e : held.entrySet()) {
                if (!jobs.renew(e.getKey(), e.getValue(), leaseEnd())) held.remove(e.getKey(), e.getValue());
            }
        } catch (RuntimeException e) {
            LOG.warn("code jobs: lease renewal failed: {}", e.toString());
        }
    }

    private void sweep() {
        if (stopping) return;
        try {
            for (String id : jobs.unheld(clock.instant())) {
                if (held.containsKey(id)) continue;
                String token = Ids.next("lease");
                if (jobs.claim(id, token, clock.instant(), leaseEnd())) {
                    LOG.info("code job {}: resuming", id);
                    held.put(id, token);
                    submit(id, token);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("code jobs: sweep failed: {}", e.toString());
        }
    }

    private Instant leaseEnd() {
        return clock.instant().plus(LEASE);
    }

    /**
     * Stops taking work, lets running chunks finish, and gives back every lease this node holds, so that jobs resume
     * at once on the next start (or on another node).
     */
    @Override
    public void close() {
        stopping = true;
        scheduler.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(60, TimeUnit.SECONDS)) workers.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var e : held.entrySet()) {
            try {
                jobs.release(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                LOG.warn("code job {}: could not release its lease: {}", e.getKey(), ex.toString());
            }
        }
        held.clear();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The job's lease went to another node: stop without touching the job. */
    private static final class LeaseLost extends RuntimeException {
        LeaseLost() {
            super(null, null, false, false);
        }
    }
}
