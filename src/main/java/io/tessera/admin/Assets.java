package io.tessera.admin;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The admin UI's scripts and styles, from the jar: htmx and Chart.js (webjars) and the UI's own files. */
final class Assets {
    private static final Map<String, String> FILES = Map.of(
            "htmx.min.js", "/META-INF/resources/webjars/htmx.org/2.0.10/dist/htmx.min.js",
            "chart.umd.min.js", "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js",
            "admin.js", "/admin/admin.js",
            "admin.css", "/admin/admin.css");

    private Assets() {
    }

    static void serve(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        String resource = FILES.get(file);
        InputStream in = resource == null ? null : Assets.class.getResourceAsStream(resource);
        if (in == null) {
            ctx.status(404).contentType("text/plain").result("no such file");
            return;
        }
        try (in) {
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType(file.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
                    .result(in.readAllBytes());
        }
    }
}
