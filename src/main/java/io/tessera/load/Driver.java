package io.tessera.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Drives clients for the warm-up and then the measured duration, either in a closed loop ({@link #run}: each client a
 * virtual thread calling again as soon as its last call answered, so the rate is what the server gives) or in an open
 * loop at a fixed arrival rate ({@link #runAtRate}: calls due at fixed intervals whatever the answers, each timed from
 * when it was due, so a stall shows in the latencies of every call it delayed instead of holding the next ones back).
 */
final class Driver {
    /** What one call came to: an answer the scenario expects, a refusal it expects (a limit), or an error. */
    enum Outcome { OK, REFUSED, ERROR }

    /** One client's calls; {@link #call()} returns the outcome, or a problem description through {@link Call#error}. */
    interface Client {
        Call call() throws Exception;
    }

    /** An outcome, with what went wrong for an error (kept for the report's first error). */
    record Call(Outcome outcome, String error) {
        static final Call OK = new Call(Outcome.OK, null);
        static final Call REFUSED = new Call(Outcome.REFUSED, null);

        static Call error(String why) {
            return new Call(Outcome.ERROR, why);
        }
    }

    /**
     * The measured window's counts and latencies; {@code schedule} is the open loop's (null in the closed loop), whose
     * latencies are from each call's due time.
     */
    record Result(long requests, long errors, long refused, double seconds, Histogram latencies, String firstError,
                  Schedule schedule, double warmupSeconds, Boolean settled) {
        double rate() {
            return seconds <= 0 ? 0 : requests / seconds;
        }
    }

    /**
     * How an open loop kept its schedule over the measured window: the rate asked for; {@code late}, the calls sent
     * after waiting for a client, every one busy when they were due (the wait is in their latency); {@code unsent}, the calls
     * due that no client was free to send before the window closed (not in the latencies: the target was not held);
     * {@code sendLag}, from due to sent, in microseconds (the wait for a client, and this process's own delays).
     */
    record Schedule(double target, long late, long unsent, Histogram sendLag) {
        /** The rate was held: (nearly) every call due was answered within the window's count, none left unsent. */
        boolean held(double achieved) {
            return unsent == 0 && achieved >= 0.98 * target;
        }
    }

    private Driver() {
    }

    /**
     * The unmeasured time before the window: at least {@code least}; then on, asking {@code jit} every {@code every},
     * until the JIT compilers have gone quiet or {@code most} has passed. A JVM compiles the code a new kind of request
     * runs for minutes on 2 shared cores, and its compiler thread's CPU is the server's and the generator's: measured
     * before it is done, a window counts it (docs/performance.md, "Warmed up until the compilers are quiet").
     */
    record Warmup(Duration least, Duration most, Duration every, Jit jit) {
        /** Exactly {@code d}, whatever the compilers do. */
        static Warmup fixed(Duration d) {
            return new Warmup(d, d, d, null);
        }

        boolean settles() {
            return most.compareTo(least) > 0;
        }
    }

    /** The JIT compilers' activity, as the warm-up asks for it. */
    interface Jit {
        /** Starts counting. */
        void mark();

        /** Whether the compilers were quiet since the last call (or {@link #mark}); counts again from now. */
        boolean quiet();
    }

    /**
     * When the measured window opens and closes, in {@link System#nanoTime()}. A fixed warm-up's is known from the
     * start; a settling one's is far ahead until the compilers are quiet, then set a little ahead of the moment (so that
     * every call ending or due in it reads it set), the end first.
     */
    private static final class Phase {
        private static final long FAR = Duration.ofDays(1).toNanos();
        private static final long AHEAD = Duration.ofMillis(1).toNanos();
        private final Duration duration;
        volatile long from, end;

        Phase(long start, Warmup warmup, Duration duration) {
            this.duration = duration;
            if (warmup.settles()) from = end = start + FAR;
            else open(start + warmup.least().toNanos());
        }

        private void open(long at) {
            end = at + duration.toNanos();
            from = at;
        }

        /**
         * Waits out the warm-up that started at {@code start} until the window opens; returns whether the compilers
         * went quiet (null for a fixed warm-up).
         */
        Boolean warm(long start, Warmup w) throws InterruptedException {
            Boolean settled = null;
            if (w.settles()) {
                waitUntil(start + w.least().toNanos());
                long last = start + w.most().toNanos();
                w.jit().mark();
                do {
                    waitUntil(Math.min(System.nanoTime() + w.every().toNanos(), last));
                    if (w.jit().quiet()) settled = true;
                    else if (System.nanoTime() >= last) settled = false;
                } while (settled == null);
                open(System.nanoTime() + AHEAD);
            }
            waitUntil(from);
            return settled;
        }
    }

    /** Told when the measured window opens and when it closes (e.g. to read CPU counters). */
    interface Window {
        void opened();

        void closed();
    }

    /** One client with its own figures: used by one thread at a time, so recording takes no lock. */
    private static final class Tally {
        final Client client;
        final Histogram latencies = new Histogram();
        long requests, errors, refused;

        Tally(Client client) {
            this.client = client;
        }

        /** Calls once; records the outcome, timed from {@code from}, when {@code counts} says it belongs to the window. */
        void call(long from, java.util.function.LongPredicate counts, AtomicReference<String> firstError) {
            Call call;
            try {
                call = client.call();
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                call = Call.error(e.toString());
            }
            long t1 = System.nanoTime();
            if (!counts.test(t1)) return;
            latencies.record((t1 - from) / 1_000);
            requests++;
            switch (call.outcome()) {
                case ERROR -> {
                    errors++;
                    firstError.compareAndSet(null, call.error());
                }
                case REFUSED -> refused++;
                case OK -> { }
            }
        }

        static Result sum(List<Tally> tallies, Duration duration, AtomicReference<String> firstError, Schedule schedule,
                          double warmupSeconds, Boolean settled) {
            long requests = 0, errors = 0, refused = 0;
            Histogram all = new Histogram();
            for (Tally t : tallies) {
                requests += t.requests;
                errors += t.errors;
                refused += t.refused;
                all.add(t.latencies);
            }
            return new Result(requests, errors, refused, duration.toNanos() / 1e9, all, firstError.get(), schedule,
                    warmupSeconds, settled);
        }
    }

    static Result run(int clients, Warmup warmup, Duration duration, IntFunction<Client> factory, Window window)
            throws InterruptedException {
        long start = System.nanoTime();
        Phase phase = new Phase(start, warmup, duration);
        Boolean settled;
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Tally> tallies = new ArrayList<>();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                Tally t = new Tally(factory.apply(c));
                tallies.add(t);
                // A call counts when it ends inside the window: one that outlasts the warm-up still counts, one cut
                // off by the end does not.
                running.add(threads.submit(() -> {
                    for (long t0 = System.nanoTime(); t0 < phase.end && !Thread.currentThread().isInterrupted(); t0 = System.nanoTime())
                        t.call(t0, t1 -> t1 >= phase.from && t1 <= phase.end, firstError);
                }));
            }
            // The clients run on their own; this thread only marks the window's edges.
            settled = phase.warm(start, warmup);
            window.opened();
            waitUntil(phase.end);
            window.closed();
        }
        for (Future<?> f : running) rethrow(f);
        return Tally.sum(tallies, duration, firstError, null, (phase.from - start) / 1e9, settled);
    }

    /**
     * The open loop: call {@code i} is due at {@code start + i / rate}, sent then by a free client (at most
     * {@code clients} in flight), or as soon as one frees if none is. A call counts when it was due inside the window,
     * timed from when it was due, and is waited for when it answers after the window closed.
     */
    static Result runAtRate(double rate, int clients, Warmup warmup, Duration duration, IntFunction<Client> factory,
                            Window window) throws InterruptedException {
        long start = System.nanoTime();
        Phase phase = new Phase(start, warmup, duration);
        Boolean settled;
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Tally> tallies = new ArrayList<>();
        BlockingQueue<Tally> free = new ArrayBlockingQueue<>(clients);
        for (int c = 0; c < clients; c++) tallies.add(new Tally(factory.apply(c)));
        free.addAll(tallies);
        Histogram sendLag = new Histogram();
        long[] late = {0}, unsent = {0};
        java.util.function.LongUnaryOperator dueAt = i -> start + (long) (i * 1e9 / rate);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            // A platform thread keeps the schedule: it wakes more punctually than a virtual one, whose carriers the
            // calls keep busy.
            Thread scheduler = Thread.ofPlatform().name("load-schedule").start(() -> {
                try {
                    for (long i = 0; ; i++) {
                        long due = dueAt.applyAsLong(i);
                        if (due >= phase.end) break;
                        long measureFrom = phase.from;
                        if (due < measureFrom && System.nanoTime() >= measureFrom) {
                            // The warm-up's backlog is not carried into the window: past capacity, the window then
                            // shows the rate it achieved with its own queue in the latencies, not nothing sent at all.
                            i = Math.max(i, (long) Math.ceil((measureFrom - start) * rate / 1e9) - 1);
                            continue;
                        }
                        waitUntil(due);
                        // Read once due: the window may have opened (and its end been set) meanwhile.
                        if (due >= phase.end) break;
                        boolean measured = due >= phase.from;
                        Tally t = free.poll();
                        if (t == null) {
                            t = free.poll(phase.end - System.nanoTime(), TimeUnit.NANOSECONDS);
                            if (t == null) {
                                // No client freed before the window closed: this call and every one due after it in
                                // the window were never sent.
                                for (long j = i; dueAt.applyAsLong(j) < phase.end; j++)
                                    if (dueAt.applyAsLong(j) >= phase.from) unsent[0]++;
                                break;
                            }
                            if (measured) late[0]++;
                        }
                        if (measured) sendLag.record((System.nanoTime() - due) / 1_000);
                        Tally sending = t;
                        threads.submit(() -> {
                            try {
                                sending.call(due, t1 -> measured, firstError);
                            } finally {
                                free.add(sending);
                            }
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            settled = phase.warm(start, warmup);
            window.opened();
            waitUntil(phase.end);
            window.closed();
            scheduler.join();
        }
        return Tally.sum(tallies, duration, firstError, new Schedule(rate, late[0], unsent[0], sendLag),
                (phase.from - start) / 1e9, settled);
    }

    private static void rethrow(Future<?> f) throws InterruptedException {
        try {
            f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client failed", e.getCause());
        }
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
