package io.tessera.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs a fixed number of clients, each a virtual thread calling in a closed loop (the next call when the last one
 * answered), for the warm-up and then the measured duration. Only calls that end inside the measured window count.
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

    /** The measured window's counts and latencies. */
    record Result(long requests, long errors, long refused, double seconds, Histogram latencies, String firstError) {
        double rate() {
            return seconds <= 0 ? 0 : requests / seconds;
        }
    }

    private Driver() {
    }

    /** Told when the measured window opens and when it closes (e.g. to read CPU counters). */
    interface Window {
        void opened();

        void closed();
    }

    static Result run(int clients, Duration warmup, Duration duration, IntFunction<Client> factory, Window window)
            throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + duration.toNanos();
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Future<long[]>> running = new ArrayList<>();
        List<Histogram> histograms = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                Client client = factory.apply(c);
                Histogram h = new Histogram();
                histograms.add(h);
                running.add(threads.submit(() -> loop(client, h, measureFrom, end, firstError)));
            }
            // The clients run on their own; this thread only marks the window's edges.
            waitUntil(measureFrom);
            window.opened();
            waitUntil(end);
            window.closed();
        }
        long requests = 0, errors = 0, refused = 0;
        Histogram all = new Histogram();
        for (int c = 0; c < clients; c++) {
            long[] counts;
            try {
                counts = running.get(c).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("a client failed", e.getCause());
            }
            requests += counts[0];
            errors += counts[1];
            refused += counts[2];
            all.add(histograms.get(c));
        }
        return new Result(requests, errors, refused, duration.toNanos() / 1e9, all, firstError.get());
    }

    private static void waitUntil(long nanoTime) throws InterruptedException {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long[] loop(Client client, Histogram h, long measureFrom, long end, AtomicReference<String> firstError) {
        long requests = 0, errors = 0, refused = 0;
        for (long t0 = System.nanoTime(); t0 < end; t0 = System.nanoTime()) {
            Call call;
            try {
                call = client.call();
            } catch (Exception e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt();
                call = Call.error(e.toString());
            }
            long t1 = System.nanoTime();
            // A call counts when it ends inside the window: one that outlasts the warm-up still counts, one cut
            // off by the end does not.
            if (t1 < measureFrom || t1 > end) continue;
            h.record((t1 - t0) / 1_000);
            requests++;
            switch (call.outcome()) {
                case ERROR -> {
                    errors++;
                    firstError.compareAndSet(null, call.error());
                }
                case REFUSED -> refused++;
                case OK -> { }
            }
            if (Thread.currentThread().isInterrupted()) break;
        }
        return new long[] {requests, errors, refused};
    }
}
