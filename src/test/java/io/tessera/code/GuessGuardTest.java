package io.tessera.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.discount.Reason;
import io.tessera.discount.Rejection;
import io.tessera.core.Failure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sliding window, on a clock the test moves. */
class GuessGuardTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private GuessGuard guard(int addressLimit, int keyLimit) {
        return new GuessGuard(addressLimit, keyLimit, Duration.ofSeconds(60), nanos::get);
    }

    private void advanceSeconds(long s) {
        nanos.addAndGet(s * 1_000_000_000L);
    }

    @Test
    void anAddressPastItsLimitWaitsUntilItsOldestFailureLeavesTheWindow() {
        GuessGuard g = guard(3, 100);
        g.recordFailures("k", "1.2.3.4", 2);
        assertThatCode(() -> g.check("k", "1.2.3.4")).doesNotThrowAnyException();
        advanceSeconds(10);
        g.recordFailures("k", "1.2.3.4", 1);
        Failure.Throttled refused = catchThrowableOfType(Failure.Throttled.class, () -> g.check("k", "1.2.3.4"));
        
        assertThat(refused.code()).isEqualTo("too_many_failed_codes");
        assertThat(refused.retryAfterSeconds()).isEqualTo(50); // the first two failures leave the window in 50 s
        assertThatCode(() -> g.check("k", "5.6.7.8")).doesNotThrowAnyException(); // another address
        advanceSeconds(50);
        assertThatCode(() -> g.check("k", "1.2.3.4")).doesNotThrowAnyException();
        assertThat(g.refused()).isEqualTo(1);
        assertThat(g.failures()).isEqualTo(3);
    }

    @Test
    void aKeyIsLimitedAcrossAddresses() {
        GuessGuard g = guard(5, 8);
        for (int i = 0; i < 8; i++) g.recordFailures("storefront", "10.0.0." + i, 1);
        assertThat(catchThrowableOfType(Failure.Throttled.class, () -> g.check("storefront", "10.0.0.99"))
                .retryAfterSeconds()).isEqualTo(60);
        assertThatCode(() -> g.check("other-key", "10.0.0.99")).doesNotThrowAnyException();
    }

    @Test
    void zeroDisablesIt() {
        GuessGuard g = guard(0, 100);
        g.recordFailures("k", "a", 1000);
        assertThatCode(() -> g.check("k", "a")).doesNotThrowAnyException();
        assertThat(g.enabled()).isFalse();
        assertThat(GuessGuard.disabled().enabled()).isFalse();
    }

    @Test
    void countsOnlyUnknownCodes() {
        List<Rejection> rejected = List.of(new Rejection(null, "X1", Reason.CODE_NOT_FOUND, "unknown"),
                new Rejection(null, "X2", Reason.EXPIRED, "expired"),
                new Rejection(null, "X3", Reason.CODE_NOT_FOUND, "unknown"));
        assertThat(GuessGuard.unknownCodes(rejected)).isEqualTo(2);
        Failure problem = Failure.refused("redemption_rejected", "rejected",
                Map.of("rejected", List.of(Map.of("reason", "code_not_found"), Map.of("reason", "code_limit"))));
        assertThat(GuessGuard.unknownCodes(problem)).isEqualTo(1);
        assertThat(GuessGuard.unknownCodes(Failure.conflict("x", "y"))).isZero();
    }
}
