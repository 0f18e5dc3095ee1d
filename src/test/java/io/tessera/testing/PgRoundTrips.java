package io.tessera.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy in front of PostgreSQL that counts the server's ReadyForQuery messages: one per Sync, that is one per
 * round trip a client waits for. Clients connect through {@link #url} (SSL off: the proxy reads the protocol).
 */
public final class PgRoundTrips implements AutoCloseable {
    private final String host;
    private final int port;
    private final ServerSocket listener;
    private final AtomicLong ready = new AtomicLong();

    public PgRoundTrips(String jdbcUrl) throws IOException {
        URI target = URI.create(jdbcUrl.substring("jdbc:".length()));
        this.host = target.getHost();
        this.port = target.getPort() < 0 ? 5432 : target.getPort();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("pg-round-trips").start(this::accept);
    }

    /** {@code jdbcUrl} through this proxy. */
    public String url(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + listener.getLocalPort() + "/")
                + (jdbcUrl.contains("?") ? "&" : "?") + "sslmode=disable&gssEncMode=disable";
    }

    /** ReadyForQuery messages the server has sent so far, over every connection. */
    public long count() {
        return ready.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(host, port);
                Thread.ofVirtual().start(() -> copy(client, server));
                Thread.ofVirtual().start(() -> messages(server, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException gone) {
            // either side closed
        }
    }

    /** The server's messages are framed (type, length, body) from the first byte when SSL is off. */
    private void messages(Socket from, Socket to) {
        try (from; to; DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(to.getOutputStream()))) {
            while (true) {
                int type = in.readUnsignedByte();
                int length = in.readInt();
                byte[] body = in.readNBytes(length - 4);
                out.writeByte(type);
                out.writeInt(length);
                out.write(body);
                // counted before the client can see it, so a count read after a call includes the call's
                if (type == 'Z') ready.incrementAndGet();
                if (in.available() == 0) out.flush();
            }
        } catch (EOFException | java.net.SocketException gone) {
            // either side closed
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
