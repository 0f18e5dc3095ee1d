package io.tessera.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Disconnects a client that takes too long to send its request headers. Jetty's idle timeout restarts with every byte
 * received, so a client trickling its headers a byte at a time (slowloris) would hold its connection for as long as it
 * likes: every half timeout each connection is looked at, and one seen in the middle of the same request's headers at
 * two looks in a row is closed, so no client gets more than the timeout to send them.
 */
final class SlowHeaders implements Connection.Listener {
    private final Scheduler scheduler;
    private final long lookMillis;

    SlowHeaders(Scheduler scheduler, long timeoutMillis) {
        this.scheduler = scheduler;
        this.lookMillis = Math.max(1, timeoutMillis / 2);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) later(http, -1, false);
    }

    private void later(HttpConnection http, long messages, boolean inHeaders) {
        scheduler.schedule(() -> look(http, messages, inHeaders), lookMillis, TimeUnit.MILLISECONDS);
    }

    private void look(HttpConnection http, long messagesBefore, boolean inHeadersBefore) {
        if (!http.getEndPoint().isOpen()) return;
        HttpParser parser = http.getParser();
        boolean inHeaders = !parser.isStart() && parser.inHeaderState();
        long messages = http.getMessagesIn();
        if (inHeaders && inHeadersBefore && messages == messagesBefore) {
            http.getEndPoint().close();
            return;
        }
        later(http, messages, inHeaders);
    }
}
