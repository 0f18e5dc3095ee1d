package io.tessera.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The open loop against clients whose work takes a known time. The assertions are bounds that a slow machine only
 * makes truer (a call takes at least its work; a queue only lengthens), never upper bounds on time.
 */
class DriverTest {
    private static final Driver.Window NO_WINDOW = new Driver.Window() {
        @Override
        public void opened() {
        }

        @Override
        public void closed() {
        }
    };

    /** A client whose every call takes {@code millis} (at least: the machine may make it longer). */
    private static Driver.Client taking(long millis) {
        return () -> {
            Thread.sleep(millis);
            return Driver.Call.OK;
        };
    }

    @Test
    void aCallThatWaitedForABusyClientIsTimedFromWhenItWasDueNotFromWhenItWasSent() throws InterruptedException {
        // One client doing 20 ms of work, asked for a call every 10 ms: it serves at most half of them, so the queue
        // grows by 10 ms a call. A closed loop (or a timer started at send) would say every call took 20 ms.
        Driver.Result r = Driver.runAtRate(100, 1, Driver.Warmup.fixed(Duration.ZERO), Duration.ofSeconds(1), i -> taking(20), NO_WINDOW);

        Driver.Schedule s = r.schedule();
        assertThat(r.requests()).isPositive();
        // Every call due in the window is either answered or counted unsent: none is dropped silently.
        assertThat(r.requests() + s.unsent()).isEqualTo(100);
        assertThat(s.unsent()).isPositive();
        assertThat(s.late()).isEqualTo(r.requests() - 1);
        assertThat(s.held(r.rate())).isFalse();
        // The n-th call sent (from 0) cannot end before (n + 1) x 20 ms, and was due at n x 10 ms.
        long n = r.requests() - 1;
        assertThat(r.latencies().max()).isGreaterThanOrEqualTo((n * 10 + 20) * 1_000);
        assertThat(r.latencies().percentile(50)).isGreaterThanOrEqualTo((n / 2 * 10 + 20) * 1_000);
        assertThat(s.sendLag().max()).isGreaterThanOrEqualTo(n * 10 * 1_000);
    }

    @Test
    void aTargetPastCapacityShowsTheRateTheWindowAchievedNotTheWarmUpsBacklog() throws InterruptedException {
        // One client of 20 ms for a call every 10 ms, for a 1 s warm-up: 50 calls behind when the window opens.
        // Carried over, that backlog would take the whole window and leave nothing answered in it.
        Driver.Result r = Driver.runAtRate(100, 1, Driver.Warmup.fixed(Duration.ofSeconds(1)), Duration.ofSeconds(1), i -> taking(20),
                NO_WINDOW);

        assertThat(r.requests()).isPositive();
        assertThat(r.requests() + r.schedule().unsent()).isEqualTo(100);
        assertThat(r.schedule().held(r.rate())).isFalse();
    }

    @Test
    void enoughClientsHoldTheRateAndEveryCallDueInTheWindowIsAnswered() throws InterruptedException {
        AtomicInteger made = new AtomicInteger();
        // 16 clients of 2 ms of work each for a call every 20 ms: a call finds a free client even after a long stall.
        Driver.Result r = Driver.runAtRate(50, 16, Driver.Warmup.fixed(Duration.ofMillis(200)), Duration.ofSeconds(1), i -> {
            made.incrementAndGet();
            return taking(2);
        }, NO_WINDOW);

        assertThat(made).hasValue(16);
        // Calls due in the warm-up are not counted, even those that end inside the window.
        assertThat(r.requests()).isEqualTo(50);
        assertThat(r.errors()).isZero();
        assertThat(r.schedule().unsent()).isZero();
        assertThat(r.schedule().held(r.rate())).isTrue();
        assertThat(r.latencies().percentile(50)).isGreaterThanOrEqualTo(2_000);
    }

    @Test
    void aClientsExceptionIsAnErrorWithItsDescription() throws InterruptedException {
        Driver.Result r = Driver.runAtRate(50, 2, Driver.Warmup.fixed(Duration.ZERO), Duration.ofMillis(200), i -> () -> {
            throw new IllegalStateException("refused by the test");
        }, NO_WINDOW);

        assertThat(r.errors()).isEqualTo(r.requests()).isEqualTo(10);
        assertThat(r.firstError()).contains("refused by the test");
    }

    /** Compilers that are busy for the first {@code busyLooks} looks, then quiet; records when it first said quiet. */
    private static final class Compilers implements Driver.Jit {
        final int busyLooks;
        final AtomicInteger looks = new AtomicInteger();
        volatile long quietAt = Long.MAX_VALUE;
        volatile boolean marked;

        Compilers(int busyLooks) {
            this.busyLooks = busyLooks;
        }

        @Override
        public void mark() {
            marked = true;
        }

        @Override
        public boolean quiet() {
            if (looks.incrementAndGet() <= busyLooks) return false;
            if (quietAt == Long.MAX_VALUE) quietAt = System.nanoTime();
            return true;
        }
    }

    /** A window that records when it opened. */
    private static final class Opened implements Driver.Window {
        volatile long at;

        @Override
        public void opened() {
            at = System.nanoTime();
        }

        @Override
        public void closed() {
        }
    }

    @Test
    void aWarmUpGoesOnPastItsLeastUntilTheCompilersAreQuietThenTheWindowOpens() throws InterruptedException {
        Compilers jit = new Compilers(2);
        Opened window = new Opened();
        Driver.Result r = Driver.run(2, new Driver.Warmup(Duration.ofMillis(100), Duration.ofMinutes(5),
                Duration.ofMillis(50), jit), Duration.ofMillis(200), i -> taking(2), window);

        assertThat(jit.marked).isTrue();
        // Asked until quiet, and not again: two busy looks, then the quiet one.
        assertThat(jit.looks).hasValue(3);
        assertThat(r.settled()).isTrue();
        assertThat(window.at).isGreaterThanOrEqualTo(jit.quietAt);
        // At least the least, then three looks 50 ms apart.
        assertThat(r.warmupSeconds()).isGreaterThanOrEqualTo(0.25);
        assertThat(r.requests()).isPositive();
    }

    @Test
    void compilersThatStayBusyEndTheWarmUpAtItsMostUnsettled() throws InterruptedException {
        Compilers jit = new Compilers(Integer.MAX_VALUE);
        Driver.Result r = Driver.run(1, new Driver.Warmup(Duration.ofMillis(100), Duration.ofMillis(400),
                Duration.ofMillis(50), jit), Duration.ofMillis(100), i -> taking(2), new Opened());

        assertThat(r.settled()).isFalse();
        assertThat(r.warmupSeconds()).isGreaterThanOrEqualTo(0.4);
        assertThat(jit.looks.get()).isGreaterThanOrEqualTo(2);
        assertThat(r.requests()).isPositive();
    }

    @Test
    void aFixedWarmUpAsksNothingAndSaysNothingOfTheCompilers() throws InterruptedException {
        Driver.Result r = Driver.run(1, Driver.Warmup.fixed(Duration.ofMillis(100)), Duration.ofMillis(100),
                i -> taking(2), new Opened());

        assertThat(r.settled()).isNull();
        assertThat(r.warmupSeconds()).isGreaterThanOrEqualTo(0.1);
    }

    @Test
    void inTheOpenLoopOnlyTheCallsDueOnceTheSettledWindowOpenedCount() throws InterruptedException {
        // 16 clients of 2 ms for a call every 20 ms, a warm-up that settles on its third look: exactly the 50 calls
        // due in the 1 s window count, whenever it opened.
        Driver.Result r = Driver.runAtRate(50, 16, new Driver.Warmup(Duration.ofMillis(100), Duration.ofMinutes(5),
                Duration.ofMillis(50), new Compilers(2)), Duration.ofSeconds(1), i -> taking(2), new Opened());

        assertThat(r.settled()).isTrue();
        assertThat(r.warmupSeconds()).isGreaterThanOrEqualTo(0.25);
        assertThat(r.requests() + r.schedule().unsent()).isEqualTo(50);
        assertThat(r.errors()).isZero();
    }
}
