package io.tessera.http;

import io.tessera.core.Failure;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The one source of "now". With the test clock enabled, a request's {@code X-Test-Now} header sets the instant at
 * which that request (and everything it causes) happens; without it the header is ignored.
 */
public final class RequestClock {
    public static final String HEADER = "X-Test-Now";
    private final Clock clock;
    private final boolean testClock;

    public RequestClock(Clock clock, boolean testClock) {
        this.clock = clock;
        this.testClock = testClock;
    }

    public Instant now(Context ctx) {
        if (testClock) {
            String h = ctx.header(HEADER);
            if (h != null && !h.isBlank()) {
                try {
                    return Instant.parse(h.trim());
                } catch (DateTimeParseException e) {
                    throw Failure.invalid(HEADER, "must be an ISO-8601 UTC timestamp like 2026-11-27T10:00:00Z");
                }
            }
        }
        return clock.instant();
    }

    public boolean testClock() {
        return testClock;
    }
}
