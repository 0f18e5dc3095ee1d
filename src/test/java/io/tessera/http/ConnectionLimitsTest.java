package io.tessera.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.config.Config;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What one connection may cost: bounded headers (431 problem), and a client trickling its headers is cut. */
class ConnectionLimitsTest extends ServerPerDatabase {
    private static final Map<Config.Setting, Integer> TIGHT = Map.of(Config.Setting.MAX_HEADER_BYTES, 2048,
            Config.Setting.HEADER_TIMEOUT_SECONDS, 1, Config.Setting.IDLE_TIMEOUT_SECONDS, 30);

    @Test
    void headersOverTheConfiguredSizeAre431Problems() {
        try (TestServer node = server.anotherNode(c -> c.with(TIGHT))) {
            int port = port(node);
            RawHttp small = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
                    + "a".repeat(1000) + "\r\nConnection: close\r\n\r\n");
            assertThat(small.status()).isEqualTo(200);
            RawHttp large = RawHttp.send(port, "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Pad: "
                    + "a".repeat(3000) + "\r\nConnection: close\r\n\r\n");
            assertThat(large.status()).isEqualTo(431);
            assertThat(large.header("Content-Type")).startsWith("application/problem+json");
            assertThat(large.body()).contains("\"code\":\"headers_too_large\"");
        }
    }

    @Test
    void aClientSendingItsHeadersByteByByteIsDisconnectedWithinTheHeaderTimeout() throws Exception {
        try (TestServer node = server.anotherNode(c -> c.with(TIGHT));
             Socket socket = new Socket("127.0.0.1", port(node))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            // One byte every 100 ms: well within the idle timeout (30 s), never a complete header block.
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException cut) {
                    // the server closed the connection
                }
            });
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (java.net.SocketTimeoutException stillOpen) {
                throw new AssertionError("the trickling client was not cut within 10 s", stillOpen);
            } catch (IOException reset) {
                read = -1;
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            trickle.interrupt();
            assertThat(read).as("the connection is closed, without an answer").isEqualTo(-1);
            assertThat(millis).as("cut after %d ms", millis).isBetween(400L, 3000L);
            // Clients that send their request at once are served as usual.
            assertThat(RawHttp.get(port(node), "/health").status()).isEqualTo(200);
        }
    }

    private static int port(TestServer node) {
        return Integer.parseInt(node.url().substring(node.url().lastIndexOf(':') + 1));
    }
}
