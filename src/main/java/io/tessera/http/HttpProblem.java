package io.tessera.http;

/**
 * A refusal at the HTTP level, before any service is called: a missing or unknown key (401), a missing scope (403),
 * a body too large (413), a wrong media type (415). Domain refusals are {@link io.tessera.core.Failure}s.
 */
public final class HttpProblem extends RuntimeException {
    private final int status;
    private final String code;

    public HttpProblem(int status, String code, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
