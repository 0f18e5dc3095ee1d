package io.tessera.job;

import java.time.Duration;

/**
 * How often a task kind is tried: at most {@code maxAttempts} claims, the n-th retry {@code firstDelay × 2^(n-1)}
 * after the failure (capped at a day). A retry is time-scheduled work: in test-clock mode it runs through
 * {@code POST /v1/test-clock/advance}, not the background poller.
 */
public record Retry(int maxAttempts, Duration firstDelay) {
    public static final Retry DEFAULT = new Retry(5, Duration.ofSeconds(10));

    public Retry {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    }

    /** The delay before the attempt after {@code failedAttempts} failures. */
    Duration delayAfter(int failedAttempts) {
        Duration d = firstDelay.multipliedBy(1L << Math.min(Math.max(failedAttempts - 1, 0), 16));
        return d.compareTo(Duration.ofDays(1)) > 0 ? Duration.ofDays(1) : d;
    }
}
