package io.tessera.http;

import io.tessera.core.NamedResources;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.tessera.core.Failure;
import io.tessera.core.Page;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import io.tessera.core.Input;
import io.tessera.core.Json;
import java.time.Instant;
import java.util.Locale;

/** What every handler needs: the caller (with a scope check), the request's instant, the body, and JSON answers. */
public final class Api {
    private static final String PRINCIPAL = "tessera.principal";
    private final Authenticator authenticator;
    private final RequestClock clock;
    private final long maxBodyBytes;
    private final RateLimits rateLimits;

    public Api(Authenticator authenticator, RequestClock clock, long maxBodyBytes, RateLimits rateLimits) {
        this.authenticator = authenticator;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
        this.rateLimits = rateLimits;
    }

    /** The calling project key, which must hold {@code scope} (admin holds every scope). */
    public Principal project(Context ctx, Scope scope) {
        Principal p = principal(ctx);
        if (p.root()) throw Failure.forbidden("the root key manages projects only; use a project key");
        if (!p.may(scope)) throw Failure.forbidden("this key lacks the '" + scope.value() + "' scope");
        return p;
    }

    /** A key that may read (the {@code read} scope, or admin). */
    public Principal reader(Context ctx) {
        return project(ctx, Scope.READ);
    }

    public void root(Context ctx) {
        if (!principal(ctx).root()) throw Failure.forbidden("only the root key manages projects");
    }

    /** The caller, authenticated once per request; a key with a rate limit spends one request of it then. */
    public Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            p = authenticator.authenticate(ctx);
            ctx.attribute(PRINCIPAL, p);
            if (p.rateLimit() != null) rateLimits.admit(ctx, p.keyId(), p.rateLimit());
        }
        return p;
    }

    public Instant now(Context ctx) {
        return clock.now(ctx);
    }

    public RequestClock clock() {
        return clock;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /**
     * The request body as JSON. Its {@code Content-Type} must be JSON ({@code application/json} or
     * {@code application/*+json}, UTF-8 if a charset is named), else 415; a body sent without any Content-Type is read as
     * JSON, since what the body is can only be JSON here.
     */
    public JsonNode body(Context ctx) {
        requireJson(ctx.header("Content-Type"));
        long length = ctx.contentLength();
        if (length > maxBodyBytes) throw tooLarge();
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length > maxBodyBytes) throw tooLarge();
        return Json.parse(bytes);
    }

    public Input input(Context ctx) {
        return Input.of(body(ctx));
    }

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) return;
        String[] parts = contentType.split(";");
        String type = parts[0].strip().toLowerCase(Locale.ROOT);
        boolean json = type.equals("application/json") || type.startsWith("application/") && type.endsWith("+json");
        if (!json) {
            throw new HttpProblem(415, "unsupported_media_type",
                    "the body must be JSON sent as Content-Type: application/json, not " + parts[0].strip());
        }
        for (int i = 1; i < parts.length; i++) {
            String[] param = parts[i].split("=", 2);
            if (param.length == 2 && param[0].strip().equalsIgnoreCase("charset")
                    && !param[1].strip().replace("\"", "").equalsIgnoreCase("utf-8")) {
                throw new HttpProblem(415, "unsupported_media_type", "JSON bodies are UTF-8 (RFC 8259), not "
                        + param[1].strip());
            }
        }
    }

    private HttpProblem tooLarge() {
        return new HttpProblem(413, "body_too_large", "the request body exceeds " + maxBodyBytes + " bytes");
    }

    public static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(Json.bytes(body));
    }

    /** A list page: {@code {"data": [...], "nextCursor": "..." | null}}. */
    public static java.util.Map<String, Object> page(java.util.List<?> data, String nextCursor) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("data", data);
        m.put("nextCursor", nextCursor);
        return m;
    }

    /**
     * Refuses query parameters this endpoint does not know (422 naming each), like unknown body fields: a typo such as
     * {@code ?custmer=} must not silently widen a listing.
     */
    public static void query(Context ctx, java.util.Set<String> allowed) {
        java.util.List<io.tessera.core.FieldError> errors = new java.util.ArrayList<>();
        for (String name : ctx.queryParamMap().keySet()) {
            if (!allowed.contains(name)) errors.add(new io.tessera.core.FieldError(name, "unknown query parameter"));
        }
        if (!errors.isEmpty()) throw Failure.invalid(errors);
    }

    /** An ISO-8601 instant in query parameter {@code name}, or null when absent; anything else is a 422 naming it. */
    public static java.time.Instant instant(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) return null;
        try {
            return java.time.Instant.parse(v);
        } catch (java.time.DateTimeException e) {
            throw Failure.invalid(name, io.tessera.core.Checks.INSTANT_RULE);
        }
    }

    /**
     * The {@code ?archived=} filter of a listing: false (the default) hides archived items, true shows only them,
     * {@code all} (null) shows both.
     */
    public static Boolean archived(Context ctx) {
        String archived = ctx.queryParam("archived");
        return archived == null ? Boolean.FALSE : switch (archived) {
            case "all" -> null;
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw Failure.invalid("archived", "must be true, false or all");
        };
    }

    /**
     * Registers the five routes of a collection of named resources at {@code path} ({@code /v1/webhooks}):
     * {@code POST} (201) and {@code PATCH}/{@code DELETE} (204) of {@code path/{name}} need the admin scope; the list
     * (cursor paging) and one resource need the read scope.
     */
    public void namedResources(io.javalin.config.RoutesConfig r, String path, NamedResources resources) {
        String one = path + "/{name}";
        r.post(path, ctx -> {
            Principal p = project(ctx, Scope.ADMIN);
            json(ctx, 201, resources.create(p.project(), p.actor(), body(ctx), now(ctx)));
        });
        r.get(path, ctx -> {
            Principal p = reader(ctx);
            query(ctx, java.util.Set.of("limit", "cursor"));
            json(ctx, 200, resources.list(p.project(), page(ctx)));
        });
        r.get(one, ctx -> json(ctx, 200, resources.get(reader(ctx).project(), ctx.pathParam("name"))));
        r.patch(one, ctx -> {
            Principal p = project(ctx, Scope.ADMIN);
            json(ctx, 200, resources.patch(p.project(), p.actor(), ctx.pathParam("name"), body(ctx), now(ctx)));
        });
        r.delete(one, ctx -> {
            Principal p = project(ctx, Scope.ADMIN);
            resources.delete(p.project(), p.actor(), ctx.pathParam("name"), now(ctx));
            ctx.status(204);
        });
    }

    /** The paging parameters {@code ?limit=&cursor=} of a listing. */
    public static Page.Request page(Context ctx) {
        String cursor = ctx.queryParam("cursor");
        return new Page.Request(limit(ctx), cursor == null || cursor.isEmpty() ? null : cursor);
    }

    public static int limit(Context ctx) {
        String s = ctx.queryParam("limit");
        if (s == null) return Page.Request.DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(s);
            if (n < 1 || n > Page.Request.MAX_LIMIT)
                throw Failure.invalid("limit", "must be between 1 and " + Page.Request.MAX_LIMIT);
            return n;
        } catch (NumberFormatException e) {
            throw Failure.invalid("limit", "must be a whole number");
        }
    }
}
