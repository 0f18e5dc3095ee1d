package io.tessera.load;

import io.tessera.core.Json;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load clients' HTTP/1.1 client: blocking sockets, used from virtual threads, with a pool of keep-alive
 * connections per node. Given several nodes (comma-separated), each request goes to the next one, round robin, as a
 * load balancer would send it. Written on sockets because {@code java.net.http.HttpClient} cost 0.17–0.21 ms of CPU
 * per request against 0.045 ms for the PostgreSQL floor's JDBC client, and on one machine the generator's CPU is
 * taken from the server it measures.
 */
final class Http implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    /** An answer, with the request's method and path (for messages). */
    record Response(int statusCode, String body, String method, String path) {
    }

    private final Node[] nodes;
    private final AtomicInteger next = new AtomicInteger();

    Http(String urls) {
        this.nodes = Arrays.stream(urls.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Node::of)
                .toArray(Node[]::new);
        if (nodes.length == 0) throw new IllegalArgumentException("no server URL given");
    }

    /** {@code headers} are names and values in turn; a body is JSON, given as bytes or as a value to write. */
    Response send(String method, String path, String key, Object body, String... headers) throws IOException {
        byte[] bytes = body == null ? null : body instanceof byte[] b ? b : Json.bytes(body);
        return nodes[Math.floorMod(next.getAndIncrement(), nodes.length)].send(method, path, key, bytes, headers);
    }

    /** {@code GET path} on every node, in the order given (for figures each node keeps, such as /metrics). */
    List<Response> getEach(String path) throws IOException {
        List<Response> answers = new ArrayList<>();
        for (Node node : nodes) answers.add(node.send("GET", path, null, null));
        return answers;
    }

    /** A setup call that must succeed: anything but the expected status stops the run, saying why. */
    Response expect(int status, String method, String path, String key, Object body) throws IOException {
        Response r = send(method, path, key, body);
        if (r.statusCode() != status)
            throw new SetupFailed(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        return r;
    }

    @Override
    public void close() {
        for (Node node : nodes) node.close();
    }

    /** The load run cannot set itself up (a wrong key, a server that refuses the fixtures). */
    static final class SetupFailed extends IllegalStateException {
        SetupFailed(String message) {
            super(message);
        }
    }

    /** A kept-alive connection that failed before any byte of the answer: the server had closed it while idle. */
    private static final class Stale extends IOException {
        Stale(IOException cause) {
            super("the connection closed before the answer: " + cause, cause);
        }
    }

    /** One server and its idle connections, the last used first. */
    private static final class Node {
        private final String host;
        private final int port;
        private final String hostHeader;
        private final String prefix;
        private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
        private volatile boolean closed;

        private Node(String host, int port, String hostHeader, String prefix) {
            this.host = host;
            this.port = port;
            this.hostHeader = hostHeader;
            this.prefix = prefix;
        }

        static Node of(String url) {
            URI u = URI.create(url);
            if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null)
                throw new IllegalArgumentException("not an http:// URL: " + url);
            String prefix = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/+$", "");
            return new Node(u.getHost(), u.getPort() == -1 ? 80 : u.getPort(),
                    u.getPort() == -1 ? u.getHost() : u.getHost() + ":" + u.getPort(), prefix);
        }

        Response send(String method, String path, String key, byte[] body, String... headers) throws IOException {
            Connection c = idle.pollFirst();
            if (c != null) {
                try {
                    return exchange(c, method, path, key, body, headers);
                } catch (Stale e) {
                    // Once more on a fresh connection; the request was not answered, so it is sent again as is.
                }
            }
            return exchange(open(), method, path, key, body, headers);
        }

        private Response exchange(Connection c, String method, String path, String key, byte[] body, String[] headers)
                throws IOException {
            Response r;
            try {
                c.request(method, hostHeader, prefix, path, key, body, headers);
                r = c.answer(method, path);
            } catch (IOException | RuntimeException e) {
                c.close();
                throw e;
            }
            if (!c.keepAlive) {
                c.close();
            } else {
                idle.offerFirst(c);
                if (closed) drain();
            }
            return r;
        }

        private Connection open() throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                s.setSoTimeout(READ_TIMEOUT_MS);
                return new Connection(s);
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        void close() {
            closed = true;
            drain();
        }

        private void drain() {
            for (Connection c; (c = idle.pollFirst()) != null; ) c.close();
        }
    }

    /**
     * One socket, used by one request at a time. The request is built in {@code buf} and written at once; the answer
     * is read through {@code input}, a buffer of our own (no lock per byte, as {@code BufferedInputStream} takes), and
     * its body gathered in {@code buf} again.
     */
    private static final class Connection {
        private static final byte[] CRLF = {'\r', '\n'};

        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] input = new byte[16 * 1024];
        private int pos, lim;
        private byte[] buf = new byte[8 * 1024];
        private int len;
        /** Whether the last answer left the connection open for the next request. */
        boolean keepAlive;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Writes the request and waits for the answer's first byte: a failure until then is {@link Stale}. */
        void request(String method, String host, String prefix, String path, String key, byte[] body, String[] headers)
                throws IOException {
            len = 0;
            text(method).text(" ").text(prefix).text(path).text(" HTTP/1.1\r\nHost: ").text(host).bytes(CRLF);
            if (key != null) text("Authorization: Bearer ").text(key).bytes(CRLF);
            for (int i = 0; i + 1 < headers.length; i += 2) text(headers[i]).text(": ").text(headers[i + 1]).bytes(CRLF);
            if (body != null) {
                text("Content-Type: application/json\r\nContent-Length: ").text(Integer.toString(body.length)).bytes(CRLF);
            }
            bytes(CRLF);
            if (body != null) bytes(body);
            try {
                out.write(buf, 0, len);
                if (pos == lim && !fill()) throw new EOFException("end of stream");
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                throw new Stale(e);
            }
        }

        /** Reads the answer to the request just written: its status line, its headers and its body. */
        Response answer(String method, String path) throws IOException {
            int status, end;
            long length;
            boolean chunked;
            do { // past any interim answer (1xx)
                end = line();
                if (end - pos < 12 || !startsWith("HTTP/1.")) throw new IOException("not an HTTP/1.x answer");
                keepAlive = input[pos + 7] != '0';
                status = digit(pos + 9) * 100 + digit(pos + 10) * 10 + digit(pos + 11);
                pos = end + 1;
                length = -1;
                chunked = false;
                while ((end = line()) > pos + 1) {
                    int colon = pos;
                    while (colon < end && input[colon] != ':') colon++;
                    if (is("content-length", colon)) {
                        length = Long.parseLong(value(colon, end));
                    } else if (is("transfer-encoding", colon)) {
                        chunked = value(colon, end).toLowerCase(Locale.ROOT).endsWith("chunked");
                    } else if (is("connection", colon)) {
                        String v = value(colon, end).toLowerCase(Locale.ROOT);
                        if (v.contains("close")) keepAlive = false;
                        else if (v.contains("keep-alive")) keepAlive = true;
                    }
                    pos = end + 1;
                }
                pos = end + 1;
            } while (status < 200);
            len = 0;
            if (!method.equals("HEAD") && status != 204 && status != 304) body(chunked, length);
            return new Response(status, new String(buf, 0, len, StandardCharsets.UTF_8), method, path);
        }

        /** The answer's body, into {@code buf}: in chunks, by its length, or up to the end of the stream. */
        private void body(boolean chunked, long length) throws IOException {
            if (chunked) {
                for (int size; (size = chunkSize()) > 0; ) {
                    body(size);
                    pos = line() + 1;
                }
                int end;
                while ((end = line()) > pos + 1) pos = end + 1; // trailers
                pos = end + 1;
            } else if (length >= 0) {
                if (length > Integer.MAX_VALUE - 16) throw new IOException("an answer of " + length + " bytes");
                body((int) length);
            } else {
                keepAlive = false;
                while (pos < lim || fill()) body(lim - pos);
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing anyway.
            }
        }

        private Connection text(String s) {
            ensure(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80) return bytes(s.getBytes(StandardCharsets.UTF_8));
                buf[len + i] = (byte) c;
            }
            len += s.length();
            return this;
        }

        private Connection bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
            return this;
        }

        private void ensure(int more) {
            if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }

        /** Reads more into {@code input} after what it holds; false at the end of the stream. */
        private boolean fill() throws IOException {
            if (pos == lim) pos = lim = 0;
            if (lim == input.length) {
                System.arraycopy(input, pos, input, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            int n = in.read(input, lim, input.length - lim);
            if (n < 0) return false;
            lim += n;
            return true;
        }

        /** The index of the {@code \n} ending the line that starts at {@code pos}, reading until it is there. */
        private int line() throws IOException {
            for (int from = pos; ; ) {
                for (int i = from; i < lim; i++) if (input[i] == '\n') return i;
                if (pos == 0 && lim == input.length) throw new IOException("a header line over " + lim + " bytes");
                int scanned = lim - pos;
                if (!fill()) throw new EOFException("the answer ended early");
                from = pos + scanned;
            }
        }

        /** The next {@code n} bytes of the answer, appended to {@code buf}: what is buffered, then from the socket. */
        private void body(int n) throws IOException {
            ensure(n);
            int buffered = Math.min(n, lim - pos);
            System.arraycopy(input, pos, buf, len, buffered);
            pos += buffered;
            len += buffered;
            for (int left = n - buffered; left > 0; ) {
                int r = in.read(buf, len, left);
                if (r < 0) throw new EOFException("the answer ended early");
                len += r;
                left -= r;
            }
        }

        private int chunkSize() throws IOException {
            int end = line();
            int size = 0;
            for (int i = pos; i < end; i++) {
                int d = Character.digit(input[i], 16);
                if (d < 0) break; // ';' and extensions, or the CR
                if (size > (Integer.MAX_VALUE >> 4) - 16) throw new IOException("a chunk too large");
                size = size * 16 + d;
            }
            pos = end + 1;
            return size;
        }

        private boolean startsWith(String s) {
            for (int i = 0; i < s.length(); i++) if (input[pos + i] != s.charAt(i)) return false;
            return true;
        }

        /** Whether the header at {@code pos} is named {@code name} (lower case), its colon at {@code colon}. */
        private boolean is(String name, int colon) {
            if (colon - pos != name.length()) return false;
            for (int i = 0; i < name.length(); i++) if ((input[pos + i] | 0x20) != name.charAt(i)) return false;
            return true;
        }

        private String value(int colon, int end) {
            return new String(input, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).strip();
        }

        private int digit(int i) throws IOException {
            int d = input[i] - '0';
            if (d < 0 || d > 9) throw new IOException("not an HTTP/1.x status line");
            return d;
        }
    }
}
