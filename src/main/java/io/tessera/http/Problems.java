package io.tessera.http;

import io.javalin.http.Context;
import io.tessera.core.FieldError;
import io.tessera.core.Failure;
import io.tessera.core.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes RFC 9457 problem documents: {@code type, title, status, code, detail, instance, errors[]} plus extra members.
 * {@code instance} is {@code urn:request:<X-Request-Id>}: the request the problem occurred in, to find in the logs.
 */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    /** The one mapping of domain failures to HTTP statuses. */
    public static int status(Failure f) {
        return switch (f) {
            case Failure.Invalid i -> 422;
            case Failure.Refused r -> 422;
            case Failure.Malformed m -> 400;
            case Failure.NotFound n -> 404;
            case Failure.Conflict c -> 409;
            case Failure.Forbidden x -> 403;
            case Failure.Throttled t -> 429;
            case Failure.Busy b -> 503;
        };
    }

    public static void write(Context ctx, Failure f) {
        if (f instanceof Failure.Throttled t) ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
        write(ctx, status(f), f.code(), f.getMessage(), f.errors(), f.extra());
    }

    public static void write(Context ctx, HttpProblem p) {
        write(ctx, p.status(), p.code(), p.getMessage(), List.of(), Map.of());
    }

    public static void write(Context ctx, int status, String code, String detail, List<FieldError> errors,
                             Map<String, Object> extra) {
        ctx.status(status).contentType(CONTENT_TYPE)
                .result(document(status, code, detail, RequestLog.id(ctx), errors, extra));
    }

    /** The problem document itself, for writers outside Javalin (Jetty's own error pages). */
    public static byte[] document(int status, String code, String detail, String requestId, List<FieldError> errors,
                                  Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://tessera.dev/problems/" + code);
        body.put("title", title(status));
        body.put("status", status);
        body.put("code", code);
        body.put("detail", detail);
        if (requestId != null) body.put("instance", "urn:request:" + requestId);
        body.put("errors", errors);
        body.putAll(extra);
        return Json.bytes(body);
    }

    /** The {@code code} of a refusal made by the HTTP layer itself (router, Jetty), by status. */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            case 500 -> "internal_error";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> "http_" + status;
        };
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
