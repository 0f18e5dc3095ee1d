package io.tessera.core;

import java.util.List;
import java.util.Map;

/**
 * Why a service refused to act. Services throw these and never speak HTTP; the HTTP layer maps each kind to an RFC 9457
 * problem in one place ({@code http.Problems}). {@code code} is the stable snake_case reason; {@code errors} names bad
 * fields; {@code extra} carries additional members (e.g. {@code rejected} for a refused redemption).
 */
public abstract sealed class Failure extends RuntimeException {
    private final String code;
    private final List<FieldError> errors;
    private final Map<String, Object> extra;

    private Failure(String code, String detail, List<FieldError> errors, Map<String, Object> extra) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extra = extra == null ? Map.of() : extra;
    }

    public String code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    /** Input that breaks the schema or a rule: every bad field is named. */
    public static final class Invalid extends Failure {
        Invalid(String code, String detail, List<FieldError> errors) {
            super(code, detail, errors, Map.of());
        }
    }

    /** The request body cannot be read as JSON at all. */
    public static final class Malformed extends Failure {
        Malformed(String detail, List<FieldError> errors) {
            super("malformed_json", detail, errors, Map.of());
        }
    }

    /** No such resource (in the caller's project). */
    public static final class NotFound extends Failure {
        NotFound(String detail) {
            super("not_found", detail, List.of(), Map.of());
        }
    }

    /** The change conflicts with the state: a taken name, a second rollback, no code left. */
    public static final class Conflict extends Failure {
        Conflict(String code, String detail, List<FieldError> errors, Map<String, Object> extra) {
            super(code, detail, errors, extra);
        }
    }

    /**
     * A well-formed request the rules refuse (a rejected redemption, too few points). Open to subclasses that carry the
     * typed reasons along (e.g. a redemption's rejections).
     */
    public static non-sealed class Refused extends Failure {
        protected Refused(String code, String detail, Map<String, Object> extra) {
            super(code, detail, List.of(), extra);
        }
    }

    /** The caller may not do this (scope, role). */
    public static final class Forbidden extends Failure {
        Forbidden(String detail) {
            super("forbidden", detail, List.of(), Map.of());
        }
    }

    /** The caller must slow down; it may try again after {@code retryAfterSeconds}. */
    public static final class Throttled extends Failure {
        private final long retryAfterSeconds;

        Throttled(String code, String detail, long retryAfterSeconds) {
            super(code, detail, List.of(), Map.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /** Too much contention right now; the same request may simply be sent again. */
    public static final class Busy extends Failure {
        Busy(String detail) {
            super("contention", detail, List.of(), Map.of());
        }
    }

    public static Invalid invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.getFirst().field() + ": " + errors.getFirst().message()
                : errors.size() + " invalid fields";
        return new Invalid("validation_failed", detail, errors);
    }

    public static Invalid invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    /** An invalid request with its own stable code (e.g. {@code not_unique_codes}). */
    public static Invalid invalid(String code, String detail, List<FieldError> errors) {
        return new Invalid(code, detail, errors);
    }

    public static Malformed malformed(String detail) {
        return new Malformed(detail, List.of());
    }

    public static Malformed malformed(String field, String detail) {
        return new Malformed(detail, List.of(new FieldError(field, detail)));
    }

    public static NotFound notFound(String what) {
        return new NotFound(what + " not found");
    }

    public static Conflict conflict(String code, String detail) {
        return new Conflict(code, detail, List.of(), Map.of());
    }

    public static Conflict conflict(String code, String detail, List<FieldError> errors) {
        return new Conflict(code, detail, errors, Map.of());
    }

    public static Conflict conflict(String code, String detail, List<FieldError> errors, Map<String, Object> extra) {
        return new Conflict(code, detail, errors, extra);
    }

    public static Refused refused(String code, String detail) {
        return new Refused(code, detail, Map.of());
    }

    public static Refused refused(String code, String detail, Map<String, Object> extra) {
        return new Refused(code, detail, extra);
    }

    public static Forbidden forbidden(String detail) {
        return new Forbidden(detail);
    }

    public static Throttled throttled(String code, String detail, long retryAfterSeconds) {
        return new Throttled(code, detail, retryAfterSeconds);
    }

    public static Busy busy(String detail) {
        return new Busy(detail);
    }
}
