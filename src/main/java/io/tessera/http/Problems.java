package io.tessera.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes RFC 9457 problem documents: {@code type, title, status, code, detail, errors[]} plus extra members. */
public final class Problems {
    public static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {
    }

    public static void write(Context ctx, ApiException e) {
        write(ctx, e.status(), e.code(), e.getMessage(), e.errors(), e.extra());
    }

    public static void write(Context ctx, int status, String code, String detail, List<FieldError> errors,
                             Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://tessera.dev/problems/" + code);
        body.put("title", title(status));
        body.put("status", status);
        body.put("code", code);
        body.put("detail", detail);
        body.put("errors", errors);
        body.putAll(extra);
        ctx.status(status).contentType(CONTENT_TYPE).result(Json.bytes(body));
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
