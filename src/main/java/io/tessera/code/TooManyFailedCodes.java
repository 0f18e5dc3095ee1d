package io.tessera.code;

import io.javalin.http.Context;
import io.tessera.http.ApiException;
import io.tessera.http.Problems;

/** 429 {@code too_many_failed_codes}: the caller failed too many code checks lately; answered with Retry-After. */
public final class TooManyFailedCodes extends ApiException {
    private final long retryAfterSeconds;

    public TooManyFailedCodes(long retryAfterSeconds) {
        super(429, "too_many_failed_codes", "too many checks of unknown codes; retry in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The exception handler: the problem document plus the Retry-After header. */
    public static void write(TooManyFailedCodes e, Context ctx) {
        ctx.header("Retry-After", Long.toString(e.retryAfterSeconds));
        Problems.write(ctx, e);
    }
}
