package io.tessera.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Requests written byte by byte on a socket: the malformed ones (bad URIs, unknown HTTP versions, no Host) that no
 * HTTP client library lets a test send, and the answers Jetty gives before any route runs.
 */
record RawHttp(int status, Map<String, String> headers, String body) {

    static RawHttp send(int port, String request) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(s.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code parts} one after another on one connection, each flushed on its own (so the server may start
     * answering before the later parts arrive), and returns every byte answered until the server closes.
     */
    static String exchange(int port, String... parts) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (String part : parts) {
                out.write(part.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            return new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of {@code target} exactly as written, with a Host header and nothing else. */
    static RawHttp get(int port, String target) {
        return send(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) all.write(buf, 0, n);
        return all.toByteArray();
    }

    private static RawHttp parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) throw new IllegalStateException("no complete answer: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
        }
        return new RawHttp(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
