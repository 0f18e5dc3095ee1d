package io.tessera.http;

import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.tessera.config.Config;
import io.tessera.core.Failure;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Javalin server on virtual threads; every error leaves as an RFC 9457 problem. Stopping is graceful: the
 * connectors stop accepting, requests in flight finish (up to the stop timeout; requests arriving meanwhile on open
 * connections get 503), then the server stops.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Once nothing is in flight, how long an idle keep-alive connection may stay before the stop closes it. */
    private static final long IDLE_CLOSE_MILLIS = 100;
    private final Javalin app;
    private final Duration stopTimeout;
    private final GracefulHandler graceful = new GracefulHandler();
    private final Config.HttpLimits limits;
    private Server jetty;

    public HttpServer(int port, long maxBodyBytes, Config.HttpLimits limits, Duration stopTimeout, Metrics metrics,
                      List<Routes> features) {
        this.stopTimeout = stopTimeout;
        this.limits = limits;
        this.app = Javalin.create(config -> {
            config.jetty.modifyServer(server -> {
                // Jetty stops at once unless a stop timeout is set and a GracefulHandler counts requests in flight.
                server.setStopTimeout(stopTimeout.toMillis());
                server.insertHandler(graceful);
                // Outside the drain, so that requests refused while stopping have an id and a log line too.
                RequestLog requestLog = new RequestLog();
                server.insertHandler(requestLog);
                server.setRequestLog(requestLog);
                jetty = server;
            });
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = maxBodyBytes;
            config.http.generateEtags = false;
            // Javalin copies each answer to Jetty through a buffer of this size, allocated per response; its default,
            // Jetty's whole output buffer (32 kB), cost 5 % of a validation's server CPU. Jetty still aggregates.
            config.http.responseBufferSize = 4096;
            config.jetty.port = port;
            config.jetty.host = null;
            config.router.ignoreTrailingSlashes = true;
            config.routes.before(metrics::started);
            // No write endpoint takes query parameters: a stray one is refused like an unknown body field (listings
            // declare theirs with Api.query).
            config.routes.before("/v1/*", ctx -> {
                if (ctx.method() != io.javalin.http.HandlerType.GET && !ctx.queryParamMap().isEmpty())
                    Api.query(ctx, java.util.Set.of());
            });
            config.routes.after(ctx -> finishBody(ctx, maxBodyBytes));
            config.routes.after(metrics::finished);
            for (Routes f : features) f.register(config.routes);
            config.routes.exception(Failure.class, (e, ctx) -> Problems.write(ctx, e));
            config.routes.exception(HttpProblem.class, (e, ctx) -> Problems.write(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                int status = e.getStatus();
                String detail = e.getMessage();
                if (status == 405) {
                    ctx.header("Allow", allow(e.getDetails().values()));
                    detail = ctx.method() + " is not allowed on " + ctx.path() + "; see the Allow header";
                }
                Problems.write(ctx, status, Problems.code(status), detail, List.of(), Map.of());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unhandled error on {} {}", ctx.method(), ctx.path(), e);
                Problems.write(ctx, 500, "internal_error", "an unexpected error occurred; it has been logged",
                        List.of(), Map.of());
            });
            config.routes.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty())
                    Problems.write(ctx, 404, "not_found", "no such endpoint: " + ctx.method() + " " + ctx.path(),
                            List.of(), Map.of());
            });
            // A known path with another method is 405 with Allow, not 404 (RFC 9110 15.5.6).
            config.http.prefer405over404 = true;
            // Jetty answers some requests itself (431, 414, unparseable or ambiguous URIs): as problems too.
            config.jetty.modifyServer(server -> server.setErrorHandler(new ErrorPages()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ErrorPages()));
            // Javalin's LEGACY URI rules let "%u0041" through, which its path-parameter decoder then fails on (500).
            config.jetty.modifyHttpConfiguration(http -> {
                http.setUriCompliance(UriCompliance.LEGACY.without("TESSERA", UriCompliance.Violation.UTF16_ENCODINGS));
                // The request line and the headers together: past it Jetty answers 414 or 431 (ErrorPages).
                http.setRequestHeaderSize(limits.maxHeaderBytes());
            });
        });
    }

    /**
     * Reads what is left of the request's body: a request refused before its body is read (401, 404, 405) would
     * otherwise leave Jetty to discard what has arrived and to close the connection when the rest is still on its
     * way, and a CI run once saw the request after a 405 answered 505 on a kept-alive connection. Read here, the
     * connection stays usable for the client's next request. A body past the size limit is not read: the connection
     * closes instead. A body the route read already is at its end, which costs one read.
     */
    private static void finishBody(io.javalin.http.Context ctx, long limit) {
        long length = ctx.req().getContentLengthLong();
        if (length == 0) return;
        if (length > limit) {
            ctx.header("Connection", "close");
            return;
        }
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            if (in.read() == -1) return;
            byte[] buffer = new byte[8192];
            long read = 1;
            for (int n; (n = in.read(buffer)) != -1; ) {
                read += n;
                if (read > limit) {
                    ctx.header("Connection", "close");
                    return;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            ctx.header("Connection", "close");
        }
    }

    /** The Allow header of a 405: the methods Javalin found for the path (its one detail, "GET, POST"). */
    private static String allow(java.util.Collection<String> available) {
        return String.join(", ", available);
    }

    public HttpServer start() {
        app.start();
        // Javalin makes its connector as it starts; new connections take these settings.
        for (var connector : jetty.getConnectors()) {
            if (!(connector instanceof AbstractConnector c)) continue;
            c.setIdleTimeout(limits.idleTimeoutMillis());
            c.addEventListener(new SlowHeaders(c.getScheduler(), limits.headerTimeoutMillis()));
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Every route registered, as {@code "GET /v1/campaigns/{name}"} (filters such as before/after left out). */
    public List<String> routes() {
        java.util.Set<String> methods = java.util.Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .map(e -> e.endpoint.method.name() + " " + e.endpoint.path)
                .filter(r -> methods.contains(r.substring(0, r.indexOf(' ')))).toList();
    }

    /**
     * Stops accepting, waits for the requests in flight (bounded by the stop timeout), and stops. Jetty's own stop
     * shortens every connection's idle timeout to one second as it starts draining, and a request whose connection
     * idles that long (queued under load, or waiting on the database) can be cut after it committed: its client gets
     * no answer for a change that happened. So the drain runs first with the idle timeouts left long, and only once
     * nothing is in flight are the idle keep-alive connections closed quickly.
     */
    @Override
    public void close() {
        if (jetty == null) { // never started
            app.stop();
            return;
        }
        List<AbstractConnector> connectors = Arrays
                .stream(jetty.getConnectors()).filter(AbstractConnector.class::isInstance)
                .map(AbstractConnector.class::cast).toList();
        connectors.forEach(c -> c.setShutdownIdleTimeout(stopTimeout.toMillis()));
        CompletableFuture<Void> drained = graceful.shutdown(); // new requests: 503
        connectors.forEach(AbstractConnector::shutdown); // no new connections
        try {
            drained.get(stopTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} request(s) still in flight after the stop timeout of {}; stopping anyway",
                    graceful.getCurrentRequestCount(), stopTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("draining the HTTP server failed: {}", e.getCause().toString());
        }
        connectors.forEach(c -> c.setShutdownIdleTimeout(IDLE_CLOSE_MILLIS));
        app.stop();
    }
}
