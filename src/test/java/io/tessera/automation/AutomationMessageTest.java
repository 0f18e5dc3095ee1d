package io.tessera.automation;

import static io.tessera.automation.AutomationFixtures.automation;
import static io.tessera.automation.AutomationFixtures.awaitRuns;
import static io.tessera.automation.AutomationFixtures.codes;
import static io.tessera.automation.AutomationFixtures.created;
import static io.tessera.automation.AutomationFixtures.ended;
import static io.tessera.automation.AutomationFixtures.paid;
import static io.tessera.automation.AutomationFixtures.published;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import io.tessera.config.Config;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.Smtp;
import io.tessera.testing.TestServer;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * The MESSAGE action: a thank-you email on order_paid with the customer's personal code and the order's id, sent by
 * SMTP (an in-process server); a customer without consent gets nothing, and nothing is published for them.
 */
class AutomationMessageTest extends ServerPerDatabase {
    private static int port;
    private static GreenMail smtp;

    @BeforeParameterizedClassInvocation
    static void sendingBySmtp(String database) {
        port = Smtp.freePort();
        smtp = Smtp.start(port);
        server.stop();
        server = TestServer.start(database, c -> c.with(Map.of(Config.Setting.SMTP_URL, Smtp.url(port),
                Config.Setting.SMTP_FROM, "Shop <shop@example.com>", Config.Setting.MESSAGES_PER_SECOND, 10)));
    }

    @AfterParameterizedClassInvocation
    static void stopSmtp() {
        if (smtp != null) smtp.stop();
    }

    private static final Map<String, Object> THANKS = Map.of("type", "MESSAGE", "channel", "email",
            "to", "{{customer.attributes.email}}", "subject", "Thank you, {{customer.attributes.firstName}}",
            "template", "Order {{order.id}}: your next code is {{campaigns.thanks.code}}");

    @BeforeEach
    void thankYouAutomation() {
        smtp.reset();
        codes(api(), "thanks", 5);
        created(api().post("/v1/automations", automation("thank-you", "on", "order_paid", "actions", List.of(THANKS))));
    }

    private void customer(String id, boolean consent) {
        Response r = api().put("/v1/customers/" + id, Map.of("attributes",
                Map.of("firstName", "Ana", "email", id + "@example.com"), "consents", Map.of("email", consent)));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    @Test
    void aPaidOrderSendsTheRenderedEmailWithThePersonalCode() throws Exception {
        customer("c-1", true);
        paid(api(), "o-1", "c-1", 5000);
        JsonNode run = awaitRuns(api(), "thank-you", ended(1)).get(0);
        assertThat(run.get("status").asText()).isEqualTo("DONE");
        assertThat(run.at("/outputs/0/message").asText()).startsWith("msg");
        String code = api().get("/v1/customers/c-1/wallet").json().at("/codes/0/code").asText();
        assertThat(code).startsWith("THANKS-");
        assertThat(smtp.waitForIncomingEmail(AutomationFixtures.TIMEOUT.toMillis(), 1)).as("an email arrived").isTrue();
        MimeMessage[] mail = smtp.getReceivedMessages();
        assertThat(mail).hasSize(1);
        assertThat(mail[0].getAllRecipients()[0].toString()).isEqualTo("c-1@example.com");
        assertThat(mail[0].getSubject()).isEqualTo("Thank you, Ana");
        assertThat(((String) mail[0].getContent()).strip()).isEqualTo("Order o-1: your next code is " + code);
    }

    @Test
    void withoutConsentNothingIsSentNorPublishedAndTheRunStillEnds() {
        customer("c-2", false);
        paid(api(), "o-2", "c-2", 5000);
        JsonNode run = awaitRuns(api(), "thank-you", ended(1)).get(0);
        assertThat(run.get("status").asText()).isEqualTo("DONE");
        assertThat(run.at("/outputs/0/error").asText()).contains("consent");
        assertThat(published(server, key, "thanks")).isZero();
        assertThat(smtp.getReceivedMessages()).isEmpty();
    }

    @Test
    void anUnknownPlaceholderIsRefusedWhenTheAutomationIsSaved() {
        Response r = api().post("/v1/automations", automation("bad", "on", "order_paid", "actions", List.of(
                Map.of("type", "MESSAGE", "channel", "email", "to", "{{customer.attributes.email}}",
                        "template", "Hi {{customer.nickname}} {{event.x}}"))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("actions[0].template");
    }
}
