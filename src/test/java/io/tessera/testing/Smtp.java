package io.tessera.testing;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** An in-process SMTP server (GreenMail) with one user, shop / s@cret, for tests of email delivery. */
public final class Smtp {
    private Smtp() {
    }

    /** The server's URL as {@code TESSERA_SMTP_URL} takes it. */
    public static String url(int port) {
        return "smtp://shop:s%40cret@127.0.0.1:" + port;
    }

    /** Starts a server on {@code port}. */
    public static GreenMail start(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("shop", "s@cret"));
        mail.start();
        return mail;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
