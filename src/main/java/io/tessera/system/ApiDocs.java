package io.tessera.system;

import io.javalin.http.Context;
import io.tessera.core.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The rendered API reference at {@code /docs}: Swagger UI (a webjar in the jar) showing {@code /openapi.yaml}. The
 * page runs no inline script (its initializer is {@code /docs/docs.js}), so its Content-Security-Policy allows
 * scripts from this server only; styles may be inline, as Swagger UI sets some on its elements.
 */
final class ApiDocs {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final String WEBJAR = "/META-INF/resources/webjars/swagger-ui/" + version() + "/";
    private static final Map<String, String> FILES = Map.of(
            "docs.js", "/docs/docs.js",
            "swagger-ui-bundle.js", WEBJAR + "swagger-ui-bundle.js",
            "swagger-ui.css", WEBJAR + "swagger-ui.css",
            "favicon-32x32.png", WEBJAR + "favicon-32x32.png");

    private ApiDocs() {
    }

    /** The webjar's version, from its own Maven metadata: the path follows the dependency's version in the pom. */
    private static String version() {
        try (InputStream in = ApiDocs.class.getResourceAsStream(
                "/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) throw new IllegalStateException("the swagger-ui webjar is missing from the classpath");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void page(Context ctx) throws IOException {
        send(ctx, "/docs/index.html", "text/html; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
    }

    static void asset(Context ctx) throws IOException {
        String file = ctx.pathParam("file");
        String resource = FILES.get(file);
        if (resource == null) throw Failure.notFound("file " + file);
        send(ctx, resource, file.endsWith(".css") ? "text/css; charset=utf-8"
                : file.endsWith(".png") ? "image/png" : "text/javascript; charset=utf-8");
        ctx.header("Cache-Control", "public, max-age=3600");
    }

    private static void send(Context ctx, String resource, String contentType) throws IOException {
        try (InputStream in = ApiDocs.class.getResourceAsStream(resource)) {
            if (in == null) throw Failure.notFound(resource);
            ctx.header("Content-Security-Policy", CSP);
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.contentType(contentType).result(in.readAllBytes());
        }
    }
}
