package io.tessera.job;

import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.core.Ids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one durable scheduler: due-time tasks in the {@code tasks} table, claimed with leases, run once at a time across
 * nodes, resumed after a crash (a lease that runs out is claimed again).
 *
 * <p>Using it: register a {@link TaskHandler} per kind when wiring the server; {@link #enqueue} a {@link NewTask} in
 * the transaction of the change that causes it (so the task exists exactly when the change committed), then call
 * {@link #wake()} after the commit when the work is due at once. One poller per node claims due tasks every
 * {@code pollMillis} (at once when woken) and runs them on a few worker threads.
 *
 * <p><b>Test clock.</b> With the test clock on, real time says nothing about a scenario's instants, so the poller runs
 * only work that was due at the instant it was scheduled (code generation, a first delivery attempt), as of that
 * instant; everything scheduled for later (delays, expiries, retries) runs only through {@link #advance}, as of the
 * instant advanced to.
 */
public final class Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(10);
    /** An advance stops after this many tasks, so work that keeps scheduling more work due at once cannot loop forever. */
    static final int ADVANCE_MAX = 100_000;

    private final Database db;
    private final TaskStore store;
    private final Clock clock;
    private final boolean testClock;
    private final long pollMillis;
    private final Map<String, Registration> handlers = new ConcurrentHashMap<>();
    /** The tasks this node runs, with the token of its claim: renewed by the poller. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final Semaphore wakeups = new Semaphore(0);
    private final Semaphore slots;
    private final ExecutorService workers;
    private volatile boolean stopping;
    private Thread poller;

    private record Registration(TaskHandler handler, Retry retry) {
    }

    /**
     * @param clock       real time (leases, and "now" of tasks without the test clock)
     * @param testClock   whether the test clock is on (see the class comment)
     * @param pollMillis  how often the poller looks for due work when not woken
     * @param workerCount how many tasks this node runs at once
     */
    public Scheduler(Database db, Clock clock, boolean testClock, long pollMillis, int workerCount) {
        this.db = db;
        this.store = new TaskStore(db);
        this.clock = clock;
        this.testClock = testClock;
        this.pollMillis = pollMillis;
        this.slots = new Semaphore(workerCount);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workerCount, r -> {
            Thread t = new Thread(r, "task-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Declares who runs tasks of {@code kind}; call before {@link #start()}. */
    public Scheduler register(String kind, TaskHandler handler, Retry retry) {
        if (handlers.putIfAbsent(kind, new Registration(handler, retry)) != null)
            throw new IllegalStateException("a handler for " + kind + " is registered already");
        return this;
    }

    /** A sample of the tasks table for the gauges: backlog by kind, failed by kind, and the instant it was read. */
    private record Sample(Map<String, TaskStore.Backlog> backlog, Map<String, Long> failed, Instant at) {
    }

    /**
     * Publishes, for every registered kind, {@code tessera_scheduler_tasks{kind, state}} (state due: waiting for a
     * worker; running: held by a node; failed: gave up, all time) and {@code tessera_scheduler_lag_seconds{kind}}, how
     * long the oldest due task not held has waited (0 when none): for {@code webhook.delivery} that is the outbox's
     * delivery lag. The table is read at most once per {@code sampleMillis} (two index-range queries), on scrape.
     * Call after every {@link #register}.
     */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry, long sampleMillis) {
        var sample = new io.tessera.core.Sampled<>(() -> {
            Instant real = realNow();
            return new Sample(store.backlog(real, real), store.failed(), real);
        }, sampleMillis);
        for (String kind : handlers.keySet()) {
            java.util.function.Function<Sample, TaskStore.Backlog> of = s -> s.backlog().getOrDefault(kind,
                    TaskStore.Backlog.NONE);
            gauge(registry, "tessera.scheduler.tasks", kind, "due", () -> of.apply(sample.get()).due());
            gauge(registry, "tessera.scheduler.tasks", kind, "running", () -> of.apply(sample.get()).running());
            gauge(registry, "tessera.scheduler.tasks", kind, "failed", () -> sample.get().failed().getOrDefault(kind, 0L));
            io.micrometer.core.instrument.Gauge.builder("tessera.scheduler.lag", () -> {
                        Sample s = sample.get();
                        Instant oldest = of.apply(s).oldestDue();
                        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, s.at()).toMillis() / 1000.0);
                    }).tag("kind", kind).baseUnit("seconds").strongReference(true)
                    .description("how long the oldest due task of the kind that no node holds has waited")
                    .register(registry);
        }
    }

    private static void gauge(io.micrometer.core.instrument.MeterRegistry registry, String name, String kind,
                              String state, java.util.function.Supplier<Number> value) {
        io.micrometer.core.instrument.Gauge.builder(name, value).tag("kind", kind).tag("state", state)
                .strongReference(true).description("scheduler tasks of the kind in the state").register(registry);
    }

    /** Starts this node's poller; its first look, at once, resumes work a previous run left. */
    public Scheduler start() {
        poller = Thread.ofVirtual().name("task-poller").start(this::poll);
        return this;
    }

    /**
     * Schedules {@code task} inside {@code tx}, the transaction of the change that causes it: the task exists if and
     * only if the change commits. {@code now} is the instant of that change (the request's, test clock included); the
     * task is due at {@code task.dueAt()}, or at {@code now} when that is null. With a key already used for the kind,
     * nothing is added and the existing task is returned.
     */
    public Enqueued enqueue(DSLContext tx, NewTask task, Instant now) {
        return insert(tx, task, now, null);
    }

    /**
     * As {@link #enqueue}, with the lease already taken by this node, for work the caller runs itself right after the
     * commit with {@link #runHeld}. Should this node die first, the lease runs out and another node runs it.
     */
    public Enqueued enqueueHeld(DSLContext tx, NewTask task, Instant now) {
        return insert(tx, task, now, Ids.next("lease"));
    }

    private Enqueued insert(DSLContext tx, NewTask task, Instant now, String token) {
        if (!handlers.containsKey(task.kind())) throw new IllegalArgumentException("no handler for task kind " + task.kind());
        Instant due = task.dueAt() == null ? now : task.dueAt();
        return store.insert(tx, Ids.next("tsk"), task, due, !due.isAfter(now), token, leaseEnd(), realNow());
    }

    /**
     * Runs, on the calling thread, a task enqueued with {@link #enqueueHeld} once its transaction committed. Returns
     * whether it finished; work it leaves (shutdown) is resumed by the poller.
     */
    public boolean runHeld(Enqueued e) {
        if (e.heldBy() == null) throw new IllegalArgumentException("task " + e.id() + " is not held by this node");
        Task task = store.find(e.id(), e.heldBy()).orElse(null);
        if (task == null) return false; // taken over after a stall
        held.put(task.id(), e.heldBy());
        return execute(task, e.heldBy(), nowFor(task));
    }

    /** Makes the poller look for due work now, e.g. after committing a task due at once. */
    public void wake() {
        wakeups.release();
    }

    /**
     * Test clock: runs, on the calling thread, every task of the project (and every task of no project) due up to
     * {@code to}, earliest first, each as of {@code to}, including tasks that those schedule up to {@code to}.
     * Returns how many ran. Tasks another claim holds at that moment (running elsewhere) are left to it.
     */
    public int advance(String projectId, Instant to) {
        int ran = 0;
        while (ran < ADVANCE_MAX && !stopping) {
            String token = Ids.next("lease");
            List<Task> due = claim("due_at <= ? and (project_id = ? or project_id is null)",
                    List.of(Sql.ts(to), projectId), 16, token);
            if (due.isEmpty()) break;
            for (Task t : due) {
                held.put(t.id(), token);
                execute(t, token, to);
                ran++;
            }
        }
        return ran;
    }

    private void poll() {
        Instant renewed = realNow();
        while (!stopping) {
            try {
                if (!realNow().isBefore(renewed.plus(RENEW_EVERY))) {
                    renew();
                    renewed = realNow();
                }
                pollOnce(); // when every worker is busy, the next one to finish wakes the poller
            } catch (RuntimeException e) {
                if (!stopping) LOG.warn("scheduler: looking for due tasks failed: {}", e.toString());
            }
            try {
                if (wakeups.tryAcquire(pollMillis, TimeUnit.MILLISECONDS)) wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One look for due work: claims what the free workers can take and hands it to them; returns how many. */
    int pollOnce() {
        int free = slots.availablePermits();
        if (free == 0 || stopping) return 0;
        String token = Ids.next("lease");
        List<Task> due = testClock
                ? claim("immediate = true", List.of(), free, token)
                : claim("due_at <= ?", List.of(Sql.ts(realNow())), free, token);
        for (Task t : due) dispatch(t, token);
        return due.size();
    }

    /** Claims due tasks of the kinds this node has handlers for (a node never takes work it cannot do). */
    private List<Task> claim(String due, List<Object> dueArgs, int limit, String token) {
        List<String> kinds = List.copyOf(handlers.keySet());
        if (kinds.isEmpty()) return List.of();
        List<Object> args = new java.util.ArrayList<>(kinds);
        args.addAll(dueArgs);
        String condition = "kind in (" + String.join(", ", java.util.Collections.nCopies(kinds.size(), "?")) + ") and "
                + due;
        return store.claim(condition, args, limit, token, realNow(), leaseEnd());
    }

    private void dispatch(Task t, String token) {
        held.put(t.id(), token);
        slots.acquireUninterruptibly();
        try {
            workers.execute(() -> {
                try {
                    execute(t, token, nowFor(t));
                } finally {
                    slots.release();
                    wake(); // a worker is free: more due work may be waiting
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            slots.release();
            release(t.id(), token);
        }
    }

    /** Runs one claimed task and records how it ended; returns whether it finished. */
    private boolean execute(Task task, String token, Instant now) {
        Registration reg = handlers.get(task.kind());
        RunningTask running = new RunningTask(task, token, now, this);
        try {
            if (reg == null) throw new IllegalStateException("no handler for task kind " + task.kind());
            TaskHandler.Outcome outcome = reg.handler().run(running);
            if (outcome == TaskHandler.Outcome.PAUSED) {
                release(task.id(), token);
                return false;
            }
            if (!running.completed()) db.transaction(tx -> {
                running.complete(tx);
                return null;
            });
            return true;
        } catch (LeaseLost e) {
            LOG.warn("task {} ({}): lease lost to another claim; left to it", task.id(), task.kind());
            return false;
        } catch (RuntimeException e) {
            if (stopping) {
                // Shutting down: whatever failed is retried by the next claim, not recorded as a failed attempt.
                LOG.info("task {} ({}) interrupted by shutdown: {}", task.id(), task.kind(), e.toString());
                release(task.id(), token);
                return false;
            }
            failed(task, token, reg, e, now);
            return false;
        } finally {
            held.remove(task.id(), token);
        }
    }

    private void failed(Task task, String token, Registration reg, RuntimeException e, Instant now) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        try {
            if (reg != null && task.attempts() < reg.retry().maxAttempts()) {
                Instant next = now.plus(reg.retry().delayAfter(task.attempts()));
                LOG.warn("task {} ({}) failed on attempt {}, retrying at {}: {}", task.id(), task.kind(),
                        task.attempts(), next, e.toString());
                store.retry(task.id(), token, next, error);
                return;
            }
            LOG.error("task {} ({}) failed on attempt {}; giving up", task.id(), task.kind(), task.attempts(), e);
            db.transaction(tx -> {
                if (store.fail(tx, task.id(), token, error, realNow()) && reg != null)
                    reg.handler().failed(tx, task, error, now);
                return null;
            });
        } catch (RuntimeException ex) {
            LOG.warn("task {} ({}): could not record its failure: {}", task.id(), task.kind(), ex.toString());
        }
    }

    private void renew() {
        for (var e : held.entrySet()) {
            try {
                boolean kept = db.transaction(tx -> store.renew(tx, e.getKey(), e.getValue(), leaseEnd()));
                if (!kept) held.remove(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                LOG.warn("task {}: lease renewal failed: {}", e.getKey(), ex.toString());
            }
        }
    }

    private void release(String id, String token) {
        held.remove(id, token);
        try {
            store.release(id, token);
        } catch (RuntimeException e) {
            LOG.warn("task {}: could not give back its lease: {}", id, e.toString());
        }
    }

    /** "Now" for a task the poller or an inline run executes (see the class comment on the test clock). */
    private Instant nowFor(Task t) {
        return testClock ? t.dueAt() : realNow();
    }

    boolean stopping() {
        return stopping;
    }

    TaskStore store() {
        return store;
    }

    Instant realNow() {
        return clock.instant();
    }

    Instant leaseEnd() {
        return realNow().plus(LEASE);
    }

    /**
     * Stops claiming, lets running tasks reach a safe point (within {@code wait}), and gives back every lease this node
     * holds, so that the work resumes at once on the next start or on another node.
     */
    public void close(Duration wait) {
        stopping = true;
        wake();
        if (poller != null) {
            // Not interrupted: an interrupt inside H2's file I/O closes the database under everyone.
            try {
                poller.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS))
                LOG.warn("scheduler: {} task(s) still running after {}; their leases are given back", held.size(), wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (var e : Map.copyOf(held).entrySet()) release(e.getKey(), e.getValue());
    }
}
