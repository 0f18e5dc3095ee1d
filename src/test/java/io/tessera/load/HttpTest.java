package io.tessera.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's socket client against real servers: the JDK's {@link HttpServer} (which streams an answer of
 * unknown length in chunks) and a server of our own on a {@link ServerSocket}, which counts the connections it
 * accepted and can close them.
 */
class HttpTest {
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened.reversed()) c.close();
    }

    private HttpServer jdkServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        server.start();
        opened.add(threads::shutdownNow);
        opened.add(() -> server.stop(0));
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private Http http(String urls) {
        Http http = new Http(urls);
        opened.add(http);
        return http;
    }

    private FakeServer fake(Function<String, String> answer) throws IOException {
        FakeServer server = new FakeServer(answer);
        opened.add(server);
        return server;
    }

    private static String fixed(String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return "HTTP/1.1 200 OK\r\n" + String.join("", headers) + "Content-Length: " + bytes.length + "\r\n\r\n" + body;
    }

    @Test
    void aJsonPostArrivesWithItsHeadersAndBodyAndItsAnswerIsRead() throws IOException {
        HttpServer server = jdkServer();
        Map<String, String> seen = new ConcurrentHashMap<>();
        server.createContext("/v1/redemptions", exchange -> {
            seen.put("method", exchange.getRequestMethod());
            seen.put("uri", exchange.getRequestURI().toString());
            for (String h : List.of("Host", "Authorization", "Content-Type", "Content-Length", "Idempotency-Key"))
                seen.put(h, String.valueOf(exchange.getRequestHeaders().getFirst(h)));
            seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"id\":\"r1\",\"note\":\"café €\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        String body = "{\"customer\":{\"id\":\"c-ü\"},\"order\":{\"total\":12.5}}";

        Http.Response r = http(url(server)).send("POST", "/v1/redemptions?dry=1", "key-1",
                body.getBytes(StandardCharsets.UTF_8), "Idempotency-Key", "c-1");

        assertThat(r).isEqualTo(new Http.Response(201, "{\"id\":\"r1\",\"note\":\"café €\"}", "POST",
                "/v1/redemptions?dry=1"));
        assertThat(seen).containsEntry("method", "POST").containsEntry("uri", "/v1/redemptions?dry=1")
                .containsEntry("Host", "127.0.0.1:" + server.getAddress().getPort())
                .containsEntry("Authorization", "Bearer key-1").containsEntry("Content-Type", "application/json")
                .containsEntry("Content-Length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length))
                .containsEntry("Idempotency-Key", "c-1").containsEntry("body", body);
    }

    @Test
    void aValueGivenAsTheBodyIsSentAsJsonAndARequestWithoutKeyOrBodyHasNeither() throws IOException {
        HttpServer server = jdkServer();
        List<String> seen = new CopyOnWriteArrayList<>();
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Authorization") + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        Http http = http(url(server));

        Http.Response posted = http.send("POST", "/v1/campaigns", "k", Map.of("count", 1000));
        Http.Response deleted = http.send("DELETE", "/v1/campaigns/x", null, null);

        assertThat(posted.statusCode()).isEqualTo(204);
        assertThat(deleted).isEqualTo(new Http.Response(204, "", "DELETE", "/v1/campaigns/x"));
        assertThat(seen).containsExactly("POST Bearer k application/json {\"count\":1000}", "DELETE null null ");
    }

    @Test
    void aChunkedAnswerIsReadWhole() throws IOException {
        HttpServer server = jdkServer();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; expected.length() < 100_000; i++) expected.append("line ").append(i).append(" é\n");
        byte[] bytes = expected.toString().getBytes(StandardCharsets.UTF_8);
        server.createContext("/big", exchange -> {
            // Length 0: the JDK server streams the answer in chunks, one per write here.
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < bytes.length; i += 3_001) out.write(bytes, i, Math.min(3_001, bytes.length - i));
            }
        });
        Http http = http(url(server));

        Http.Response first = http.send("GET", "/big", null, null);
        Http.Response second = http.send("GET", "/big", null, null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo(expected.toString());
        assertThat(second.body()).isEqualTo(expected.toString());
    }

    @Test
    void sequentialRequestsShareOneKeptAliveConnectionWhateverTheirAnswersFraming() throws IOException {
        // Chunked answers with an extension and a trailer, between answers of a given length.
        FakeServer server = fake(head -> head.contains("/chunked")
                ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n"
                : fixed("{\"ok\":true}", "Connection: keep-alive\r\n"));
        Http http = http(server.url());

        for (int i = 0; i < 50; i++) {
            Http.Response r = http.send("GET", i % 2 == 0 ? "/fixed" : "/chunked", null, null);
            assertThat(r.body()).isEqualTo(i % 2 == 0 ? "{\"ok\":true}" : "hello, world");
        }

        assertThat(server.accepted.get()).isEqualTo(1);
        assertThat(server.requests.get()).isEqualTo(50);
    }

    @Test
    void aKeptAliveConnectionTheServerClosedWhileIdleIsReplacedAndTheRequestSentAgain() throws IOException {
        FakeServer server = fake(head -> fixed(head.substring(0, head.indexOf(" HTTP/"))));
        Http http = http(server.url());
        assertThat(http.send("POST", "/a", null, new byte[] {'1'}).body()).isEqualTo("POST /a");

        server.closeConnections();
        Http.Response r = http.send("POST", "/b", null, new byte[] {'2'});

        assertThat(r).isEqualTo(new Http.Response(200, "POST /b", "POST", "/b"));
        assertThat(server.accepted.get()).isEqualTo(2);
        // The request reached the server once, on the fresh connection.
        assertThat(server.requests.get()).isEqualTo(2);
        assertThat(http.send("GET", "/c", null, null).body()).isEqualTo("GET /c");
        assertThat(server.accepted.get()).isEqualTo(2);
    }

    @Test
    void aServerThatClosesAFreshConnectionWithoutAnsweringIsAnErrorNotARetry() throws IOException {
        FakeServer server = fake(head -> null);
        Http http = http(server.url());

        assertThatThrownBy(() -> http.send("GET", "/x", null, null)).isInstanceOf(IOException.class);
        assertThat(server.accepted.get()).isEqualTo(1);
    }

    @Test
    void answersSayingConnectionCloseAreReadAndTheirConnectionsNotReused() throws IOException {
        // The second kind has no length: its body ends with the connection.
        FakeServer server = fake(head -> head.contains("/sized") ? fixed("sized", "Connection: close\r\n")
                : "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nto the end");
        Http http = http(server.url());

        for (int i = 0; i < 3; i++) {
            assertThat(http.send("GET", "/sized", null, null).body()).isEqualTo("sized");
            assertThat(http.send("GET", "/unsized", null, null).body()).isEqualTo("to the end");
        }

        assertThat(server.accepted.get()).isEqualTo(6);
        assertThat(server.requests.get()).isEqualTo(6);
    }

    @Test
    void twoHundredConcurrentRequestsFromVirtualThreadsAllGetTheirOwnAnswers() throws Exception {
        int n = 200;
        HttpServer server = jdkServer();
        CountDownLatch all = new CountDownLatch(n);
        server.createContext("/echo", exchange -> {
            // Every request waits for the others: the answer says whether all 200 were in flight at once.
            all.countDown();
            boolean together;
            try {
                together = all.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                together = false;
            }
            byte[] answer = (exchange.getRequestURI().getQuery() + " " + together).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        Http http = http(url(server));

        List<Future<Http.Response>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                String path = "/echo?n=" + i;
                answers.add(threads.submit(() -> http.send("GET", path, null, null)));
            }
        }

        for (int i = 0; i < n; i++) {
            assertThat(answers.get(i).get()).isEqualTo(new Http.Response(200, "n=" + i + " true", "GET", "/echo?n=" + i));
        }
        // Afterwards, the pooled connections serve sequential requests again.
        assertThat(http.send("GET", "/echo?n=last", null, null).body()).isEqualTo("n=last true");
    }

    @Test
    void twoBaseUrlsAreUsedRoundRobinAndEachIsAskedByGetEach() throws IOException {
        FakeServer a = fake(head -> fixed("a " + head.substring(0, head.indexOf(" HTTP/"))));
        FakeServer b = fake(head -> fixed("b " + head.substring(0, head.indexOf(" HTTP/"))));
        Http http = http(a.url() + "/, " + b.url());

        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 6; i++) bodies.add(http.send("GET", "/health", null, null).body());

        assertThat(bodies).containsExactly("a GET /health", "b GET /health", "a GET /health", "b GET /health",
                "a GET /health", "b GET /health");
        assertThat(http.getEach("/metrics")).extracting(Http.Response::body)
                .containsExactly("a GET /metrics", "b GET /metrics");
        assertThat(a.accepted.get()).isEqualTo(1);
        assertThat(b.accepted.get()).isEqualTo(1);
    }

    @Test
    void closeClosesThePooledConnections() throws IOException {
        FakeServer server = fake(head -> fixed("ok"));
        Http http = new Http(server.url());
        http.send("GET", "/", null, null);

        http.close();

        // The server sees the connection end: its reader gets the end of the stream.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> server.ended.get() == 1);
        assertThat(server.requests.get()).isEqualTo(1);
    }

    /**
     * A server answering each request with the raw text {@code answer} gives for the request (its head and body),
     * or closing the connection without answering when it gives null; an answer saying {@code Connection: close} ends
     * its connection.
     */
    private static final class FakeServer implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        /** Connections the client ended (the server read the end of the stream). */
        final AtomicInteger ended = new AtomicInteger();
        private final ServerSocket socket = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        private final List<Socket> connections = new CopyOnWriteArrayList<>();
        private final Function<String, String> answer;

        FakeServer(Function<String, String> answer) throws IOException {
            this.answer = answer;
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = socket.accept();
                        accepted.incrementAndGet();
                        connections.add(s);
                        Thread.ofVirtual().start(() -> serve(s));
                    }
                } catch (IOException e) {
                    // Closed.
                }
            });
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        /** Closes every connection, as a server does with idle ones. */
        void closeConnections() throws IOException {
            for (Socket s : connections) s.close();
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                for (String request; (request = request(in)) != null; ) {
                    requests.incrementAndGet();
                    String a = answer.apply(request);
                    if (a == null) return;
                    out.write(a.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    if (a.contains("Connection: close")) return;
                }
                ended.incrementAndGet();
            } catch (IOException e) {
                // The connection was closed.
            }
        }

        /** The next request's head and body as text, null at the end of the stream. */
        private static String request(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            for (int b; !head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n"); head.write(b)) {
                if ((b = in.read()) < 0) return null;
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(line.substring(15).strip());
            }
            return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            closeConnections();
        }
    }
}
