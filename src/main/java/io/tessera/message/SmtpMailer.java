package io.tessera.message;

import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Sends email through an SMTP server given as a URL: {@code smtp://user:password@host:port} (STARTTLS when the
 * server offers it; port 587 by default) or {@code smtps://user:password@host:port} (TLS from the start; 465).
 * Every network step times out after 10 seconds, so a hung server fails the attempt rather than the sender.
 */
public final class SmtpMailer {
    private static final String TIMEOUT_MILLIS = "10000";
    private final String protocol;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final InternetAddress from;
    private final Session session;

    private SmtpMailer(String protocol, String host, int port, String user, String password, InternetAddress from) {
        this.protocol = protocol;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.from = from;
        Properties props = new Properties();
        String prefix = "mail." + protocol + ".";
        props.put(prefix + "auth", Boolean.toString(user != null));
        props.put(prefix + "connectiontimeout", TIMEOUT_MILLIS);
        props.put(prefix + "timeout", TIMEOUT_MILLIS);
        props.put(prefix + "writetimeout", TIMEOUT_MILLIS);
        if (protocol.equals("smtp")) props.put(prefix + "starttls.enable", "true");
        else props.put(prefix + "ssl.checkserveridentity", "true");
        this.session = Session.getInstance(props);
    }

    /**
     * The mailer for {@code url} sending from {@code from}; throws {@link IllegalArgumentException} saying what is
     * wrong with either (a start-up configuration error).
     */
    public static SmtpMailer of(String url, String from) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("TESSERA_SMTP_URL is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (!"smtp".equals(scheme) && !"smtps".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("TESSERA_SMTP_URL must look like smtp://user:password@host:587 or "
                    + "smtps://user:password@host:465");
        }
        String user = null;
        String password = null;
        if (uri.getUserInfo() != null) { // decoded: special characters arrive percent-encoded
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        InternetAddress sender;
        try {
            sender = new InternetAddress(from, true);
        } catch (AddressException e) {
            throw new IllegalArgumentException("TESSERA_SMTP_FROM is not an email address: " + e.getMessage());
        }
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("smtp") ? 587 : 465;
        return new SmtpMailer(scheme, uri.getHost(), port, user, password, sender);
    }

    /**
     * Sends a plain-text UTF-8 email. {@code id} becomes its Message-ID, so a receiver can tell a repeat (a send whose
     * success could not be recorded is tried again) from a new message.
     */
    void send(String id, String to, String subject, String text) throws MessagingException {
        MimeMessage mail = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + id + "@tessera>");
            }
        };
        mail.setFrom(from);
        mail.setRecipient(RecipientType.TO, new InternetAddress(to, true));
        mail.setSubject(subject == null ? "" : subject, StandardCharsets.UTF_8.name());
        mail.setText(text, StandardCharsets.UTF_8.name());
        mail.setSentDate(new Date());
        mail.saveChanges();
        try (Transport transport = session.getTransport(protocol)) {
            transport.connect(host, port, user, password);
            transport.sendMessage(mail, mail.getAllRecipients());
        }
    }

    /** Whether {@code address} is one email address (what an email's rendered {@code to} must be). */
    static boolean isAddress(String address) {
        try {
            new InternetAddress(address, true).validate();
            return address.contains("@");
        } catch (AddressException e) {
            return false;
        }
    }
}
