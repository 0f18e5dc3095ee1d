package io.tessera.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.tessera.config.Config;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.Smtp;
import io.tessera.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * With {@code TESSERA_SMTP_URL} set, email goes out by SMTP, here to an in-process SMTP server (GreenMail). The class's
 * server is replaced by one configured with its URL, so that no other node on the database sends these messages.
 */
class SmtpDeliveryTest extends ServerPerDatabase {
    private static final Instant T = Instant.parse("2031-03-01T10:00:00Z");
    private static final Draft GREETING = new Draft("email", "{{customer.attributes.email}}",
            "Hi {{customer.attributes.firstName}} ✓", "Your code: {{campaigns.loyal.code}}");
    private static int port;
    private static GreenMail smtp;
    private Outgoing out;

    @BeforeParameterizedClassInvocation
    static void sendingBySmtp(String database) {
        port = Smtp.freePort();
        smtp = smtpServer();
        server.stop();
        server = TestServer.start(database, c -> c.with(Map.of(Config.Setting.SMTP_URL, Smtp.url(port),
                Config.Setting.SMTP_FROM, "Shop <shop@example.com>", Config.Setting.MESSAGES_PER_SECOND, 10)));
    }

    @AfterParameterizedClassInvocation
    static void stopSmtp() {
        if (smtp != null) smtp.stop();
    }

    private static GreenMail smtpServer() {
        return Smtp.start(port);
    }

    @BeforeEach
    void setUp() {
        smtp.reset();
        out = new Outgoing(server, api());
        io.tessera.testing.Fixtures.create(server, key,
                io.tessera.testing.Fixtures.uniqueCampaign("loyal", "LOYAL-#####", 5));
        out.customer("c-1", Map.of("firstName", "Ana", "email", "ana@example.com"), Map.of("email", true, "sms", true));
    }

    @Test
    void anEmailIsDeliveredBySmtp() throws Exception {
        Message m = out.queue("c-1", GREETING, T);
        Outgoing.await("the message is sent", () -> out.status(m.id()).equals("SENT"));
        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        MimeMessage mail = received[0];
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("ana@example.com");
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("Shop <shop@example.com>");
        assertThat(mail.getSubject()).isEqualTo("Hi Ana ✓");
        assertThat(((String) mail.getContent()).strip()).isEqualTo(m.text());
        assertThat(mail.getMessageID()).isEqualTo("<" + m.id() + "@tessera>");
        assertThat(out.renderedEvents()).isEmpty();
    }

    @Test
    void otherChannelsStillGoAsMessageRenderedEvents() {
        Message m = out.queue("c-1", new Draft("sms", null, null, "Code {{campaigns.loyal.code}}"), T);
        Outgoing.await("the message is sent", () -> out.status(m.id()).equals("SENT"));
        assertThat(out.renderedEvents()).singleElement()
                .satisfies(e -> assertThat(e.get("text").asText()).isEqualTo(m.text()));
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void anEmailIsRetriedWhileTheSmtpServerIsDownAndSentOnceItIsUp() {
        smtp.stop();
        try {
            Message m = out.queue("c-1", GREETING, T);
            Outgoing.await("the retry is scheduled", () -> io.tessera.testing.Fixtures.count(server, "select count(*) "
                    + "from tasks where project_id = ? and kind = ? and status = 'PENDING' and immediate = false "
                    + "and lease_owner is null", out.project.id(), MessageSending.KIND) == 1);
            assertThat(out.status(m.id())).isEqualTo("QUEUED");
            assertThat(out.column("error", m.id())).startsWith("smtp: ");
            assertThat(out.column("attempts", m.id())).isEqualTo("1");
        } finally {
            smtp = smtpServer();
        }
        String id = io.tessera.testing.Fixtures.strings(server, "select id from messages where project_id = ?",
                out.project.id()).getFirst();
        out.advance(T.plusSeconds(29)); // the retry is due 30 s after the failed attempt
        assertThat(out.status(id)).isEqualTo("QUEUED");
        out.advance(T.plusSeconds(30));
        assertThat(out.status(id)).isEqualTo("SENT");
        assertThat(out.column("error", id)).isNull();
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }
}
