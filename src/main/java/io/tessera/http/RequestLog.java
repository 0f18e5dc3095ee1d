package io.tessera.http;

import io.javalin.http.Context;
import io.tessera.core.Principal;
import io.tessera.logging.LogSetup;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Request ids and the access log. Every request gets an id: the client's {@code X-Request-Id} when it is sane (at
 * most 128 characters of letters, digits and {@code -_.:}), else a new UUID. The id is answered in
 * {@code X-Request-Id}, names the request in problem documents ({@code instance}), and is in the MDC of every line
 * logged while the request is handled (a request runs on one virtual thread, from this handler to its answer). Once
 * answered, the request is one line of the access log, with its project and key when it authenticated.
 */
final class RequestLog extends Handler.Wrapper implements org.eclipse.jetty.server.RequestLog {
    static final String HEADER = "X-Request-Id";
    private static final Logger ACCESS = LoggerFactory.getLogger(LogSetup.ACCESS);
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String ATTRIBUTE = RequestLog.class.getName();

    /** What the access line says about a request beyond Jetty's own facts; filled in as the request is handled. */
    private static final class Entry {
        final String id;
        volatile String projectId;
        volatile String keyId;

        Entry(String id) {
            this.id = id;
        }
    }

    /** The client's id if sane, else a new one. */
    static String id(String given) {
        return given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Entry entry = new Entry(id(request.getHeaders().get(HEADER)));
        request.setAttribute(ATTRIBUTE, entry);
        response.getHeaders().put(HEADER, entry.id);
        MDC.put(LogSetup.REQUEST_ID, entry.id);
        try {
            return super.handle(request, response, callback);
        } finally {
            MDC.remove(LogSetup.REQUEST_ID);
            MDC.remove("projectId");
            MDC.remove("keyId");
        }
    }

    /** The id of the request being handled (null outside one, e.g. for Jetty's own refusals before routing). */
    static String id(Context ctx) {
        return ctx.attribute(ATTRIBUTE) instanceof Entry e ? e.id : null;
    }

    /** The same for a request seen by Jetty's own error pages (null when it never reached this handler). */
    static String id(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Entry e ? e.id : null;
    }

    /** Who is asking, for the access line and the MDC of the lines logged after authentication. */
    static void identify(Context ctx, Principal principal) {
        if (!(ctx.attribute(ATTRIBUTE) instanceof Entry e)) return;
        e.keyId = principal.keyId();
        MDC.put("keyId", e.keyId);
        if (!principal.root()) {
            e.projectId = principal.projectId();
            MDC.put("projectId", e.projectId);
        }
    }

    /** Jetty calls this once the request is answered (on whichever thread completed it). */
    @Override
    public void log(Request request, Response response) {
        if (!ACCESS.isInfoEnabled()) return;
        Entry entry = request.getAttribute(ATTRIBUTE) instanceof Entry e ? e : null;
        String id = entry == null ? "-" : entry.id;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        long bytes = Response.getContentBytesWritten(response);
        String method = request.getMethod();
        String path = request.getHttpURI().getPath(); // never the query: it may carry what should not be logged
        int status = response.getStatus();
        try (var ignored = MDC.putCloseable(LogSetup.REQUEST_ID, id)) {
            var line = ACCESS.atInfo().addKeyValue("method", method).addKeyValue("path", path)
                    .addKeyValue("status", status).addKeyValue("durationMs", millis).addKeyValue("bytes", bytes);
            String who = "";
            if (entry != null && entry.projectId != null) {
                line = line.addKeyValue("projectId", entry.projectId);
                who += " project=" + entry.projectId;
            }
            if (entry != null && entry.keyId != null) {
                line = line.addKeyValue("keyId", entry.keyId);
                who += " key=" + entry.keyId;
            }
            line.log("{} {} {} {}ms {}B{}", method, path, status, millis, bytes, who);
        }
    }
}
