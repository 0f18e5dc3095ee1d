package io.tessera.code;

import io.tessera.campaign.CodePattern;
import io.tessera.db.Database;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Ids;
import io.tessera.job.Enqueued;
import io.tessera.job.LeaseLost;
import io.tessera.job.NewTask;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.Scheduler;
import io.tessera.job.Task;
import io.tessera.job.TaskHandler;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk code generation, the one way codes are generated: a job (what users see: status, done, total) driven by a
 * scheduler task (which holds the lease). Codes are made in chunks, each chunk inserted and counted in one transaction
 * that also renews the task's lease: after any crash, {@code done} is exactly the number of codes the job made, and
 * the job resumes with {@code total - done} wherever the task is claimed again.
 *
 * <p>Small jobs run inline, right after the transaction that created them commits; larger ones on the scheduler's
 * workers.
 */
public final class GenerationJobs implements TaskHandler {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationJobs.class);
    public static final String KIND = "code.generate";
    /** How often a job is tried when generation throws (a chunk's own transient conflicts are retried within it). */
    public static final Retry RETRY = new Retry(3, Duration.ofSeconds(5));
    /** Up to this many codes are generated inside the request that asks for them (answered 201). */
    public static final long INLINE_MAX = 1_000;
    public static final long MAX_COUNT = 10_000_000;
    private static final int BARREN_ROUNDS = 10;
    private static final int ATTEMPTS = 3;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database db;
    private final JobStore jobs;
    private final CodeStore codes;
    private final BulkCodes bulk;
    private final Scheduler scheduler;
    private final int chunk;

    public GenerationJobs(Database db, JobStore jobs, CodeStore codes, Scheduler scheduler) {
        this.db = db;
        this.jobs = jobs;
        this.codes = codes;
        this.bulk = new BulkCodes(db);
        this.scheduler = scheduler;
        // COPY moves large chunks cheaply; H2's batches are row by row, so smaller chunks show progress sooner.
        this.chunk = db.postgres() ? 100_000 : 10_000;
    }

    /**
     * Publishes the progress of running generation jobs: {@code tessera_code_generation_jobs} (running jobs) and
     * {@code tessera_code_generation_codes{state="done"|"total"}} (codes made so far / to be made by them), read at
     * most once per {@code sampleMillis}.
     */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry, long sampleMillis) {
        var progress = new io.tessera.core.Sampled<>(jobs::running, sampleMillis);
        io.micrometer.core.instrument.Gauge.builder("tessera.code.generation.jobs", () -> progress.get().jobs())
                .description("code generation jobs running").strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("tessera.code.generation.codes", () -> progress.get().done())
                .tag("state", "done").description("codes made so far by the running generation jobs")
                .strongReference(true).register(registry);
        io.micrometer.core.instrument.Gauge.builder("tessera.code.generation.codes", () -> progress.get().total())
                .tag("state", "total").description("codes the running generation jobs make in all")
                .strongReference(true).register(registry);
    }

    /** A job written in a caller's transaction, to be {@link #start started} once that commits. */
    public record Started(String projectId, String jobId, Enqueued task) {
    }

    /**
     * Writes, inside {@code tx}, a job for {@code count} codes of {@code pattern} and its task, refusing (422, nothing
     * written) what would make the campaign's codes guessable, counting the codes it has and those its running jobs
     * are still to make. The job runs once {@code tx} commits and the caller passes the result to {@link #start}.
     *
     * @param patternGiven whether the caller chose the pattern (then the refusal names {@code pattern} as well)
     */
    public Started enqueue(DSLContext tx, String projectId, String campaignId, CodePattern pattern, long count,
                           boolean patternGiven, Instant now) {
        // One job creation at a time per campaign, so two requests cannot both pass the guessability check.
        tx.execute("select id from campaigns where project_id = ? and id = ? for update", projectId, campaignId);
        long existing = codes.count(tx, campaignId);
        long pending = jobs.pending(tx, projectId, campaignId);
        String refusal = pattern.refusal(existing + pending + count);
        if (refusal != null) {
            String had = existing + pending == 0 ? "" : " (the campaign has " + existing + " codes"
                    + (pending > 0 ? " and jobs are making " + pending + " more" : "") + ")";
            List<FieldError> errors = new ArrayList<>();
            errors.add(new FieldError("count", refusal + had));
            if (patternGiven) errors.add(new FieldError("pattern", "allows too few codes for " + count + " more" + had));
            throw Failure.invalid(errors);
        }
        String id = Ids.next("job");
        jobs.insert(tx, new GenerationJob(id, projectId, campaignId, null, GenerationJob.RUNNING, count, 0,
                pattern.pattern(), pattern.charset(), null, now, null));
        NewTask task = NewTask.now(KIND, projectId, Map.of("job", id)).withKey(id);
        return new Started(projectId, id, count <= INLINE_MAX ? scheduler.enqueueHeld(tx, task, now)
                : scheduler.enqueue(tx, task, now));
    }

    /** After the commit: runs a small job before returning, hands a large one to the scheduler; returns the job. */
    public GenerationJob start(Started started) {
        if (started.task().heldBy() != null) scheduler.runHeld(started.task());
        else scheduler.wake();
        return jobs.find(started.projectId(), started.jobId()).orElseThrow();
    }

    /** {@link #enqueue} in a transaction of its own, then {@link #start}. */
    public GenerationJob create(String projectId, String campaignId, CodePattern pattern, long count,
                                boolean patternGiven, Instant now) {
        return start(db.transaction(tx -> enqueue(tx, projectId, campaignId, pattern, count, patternGiven, now)));
    }

    /** Makes the job's remaining codes, chunk by chunk, while this node holds the task's lease. */
    @Override
    public Outcome run(RunningTask task) {
        String projectId = task.task().projectId();
        String id = task.payload().path("job").asText();
        GenerationJob job = jobs.find(projectId, id).orElse(null);
        if (job == null || !GenerationJob.RUNNING.equals(job.status())) return Outcome.DONE;
        RandomCodes random = new RandomCodes(job.codePattern(), RANDOM);
        long remaining = job.total() - job.done();
        boolean optimistic = true;
        int barren = 0;
        CompletableFuture<List<String>> next = null;
        while (remaining > 0) {
            if (task.stopping()) {
                LOG.info("code job {} paused at {} of {} codes by shutdown", id, job.total() - remaining, job.total());
                return Outcome.PAUSED;
            }
            List<String> batch = next != null ? next.join() : random.distinct((int) Math.min(remaining, chunk));
            // Draw the next chunk while the database stores this one (the one drawing is done before the next).
            long planned = remaining - batch.size();
            next = planned > 0 ? draw(random, (int) Math.min(planned, chunk)) : null;
            int landed = insert(job, task, batch, optimistic);
            optimistic &= landed == batch.size();
            remaining -= landed;
            barren = landed == 0 ? barren + 1 : 0;
            if (barren == BARREN_ROUNDS) {
                db.transaction(tx -> {
                    jobs.fail(tx, projectId, id, "no unused codes found in " + BARREN_ROUNDS + " rounds: the pattern's "
                            + "codes are nearly all taken in this project", task.now());
                    task.complete(tx);
                    return null;
                });
                return Outcome.DONE;
            }
        }
        db.transaction(tx -> {
            jobs.finish(tx, projectId, id, task.now());
            task.complete(tx);
            return null;
        });
        LOG.info("code job {} made {} codes", id, job.total());
        return Outcome.DONE;
    }

    /** The last attempt failed: the job shows it. */
    @Override
    public void failed(DSLContext tx, Task task, String error, Instant now) {
        jobs.fail(tx, task.projectId(), task.payload().path("job").asText(), "generation failed: " + error, now);
    }

    private static CompletableFuture<List<String>> draw(RandomCodes random, int n) {
        return CompletableFuture.supplyAsync(() -> random.distinct(n), r -> Thread.ofVirtual().start(r));
    }

    /** One chunk: the codes, the job's count and the lease move together, or not at all. */
    private int insert(GenerationJob job, RunningTask task, List<String> batch, boolean optimistic) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.transaction(tx -> {
                    int landed = bulk.insertNew(tx, job.projectId(), job.campaignId(), batch, job.createdAt(),
                            optimistic);
                    jobs.progress(tx, job.projectId(), job.id(), landed);
                    task.checkpoint(tx);
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
}
