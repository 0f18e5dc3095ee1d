package io.tessera.message;

import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Failure;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sending without SMTP configured: messages go to an ESP as message.rendered events, throttled per channel. */
class MessageSendingTest extends ServerPerDatabase {
    private static final Instant T = Instant.parse("2031-03-01T10:00:00Z");
    private static final Draft GREETING = new Draft("email", "{{customer.attributes.email}}",
            "Hi {{customer.attributes.firstName}}", "Your code: {{campaigns.loyal.code}}");
    private Outgoing out;

    @BeforeEach
    void setUp() {
        out = new Outgoing(server, api());
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 20));
    }

    private void ana() {
        out.customer("c-1", Map.of("firstName", "Ana", "email", "ana@example.com"),
                Map.of("email", true, "sms", true, "push", true));
    }

    private List<Instant> slots(List<Message> messages) {
        return messages.stream().map(m -> out.slot(m.id())).toList();
    }

    private long published() {
        return Fixtures.count(server, "select count(*) from publications where campaign_id = ?",
                campaignId(server, key, "loyal"));
    }

    @Test
    void withoutSmtpAMessageGoesToTheEspAsAMessageRenderedEvent() {
        ana();
        Message m = out.queue("c-1", GREETING, T);
        assertThat(m.status()).isEqualTo(Message.Status.QUEUED);
        assertThat(m.text()).matches("Your code: LOYAL-\\w{5}");
        Outgoing.await("the message is sent", () -> out.status(m.id()).equals("SENT"));
        List<JsonNode> events = out.renderedEvents();
        assertThat(events).hasSize(1);
        assertThat(events.getFirst()).isEqualTo(io.tessera.core.Json.MAPPER.valueToTree(Map.of("id", m.id(),
                "customer", "c-1", "channel", "email", "to", "ana@example.com", "subject", "Hi Ana", "text", m.text())));
        assertThat(out.column("event_id", m.id())).isNotNull();
    }

    @Test
    void sendsTakeTheChannelsSlotsAtTheConfiguredRate() {
        ana();
        List<Message> emails = new ArrayList<>();
        for (int i = 0; i < 12; i++) emails.add(out.queue("c-1", GREETING, T));
        Message sms = out.queue("c-1", new Draft("sms", null, null, "Code {{campaigns.loyal.code}}"), T);
        Outgoing.await("every message has its slot",
                () -> slots(emails).stream().allMatch(java.util.Objects::nonNull) && out.slot(sms.id()) != null);
        // Ten per second: email slots 100 ms apart from the first; sms has slots of its own.
        List<Instant> taken = slots(emails).stream().sorted().toList();
        List<Instant> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) expected.add(T.plus(Duration.ofMillis(100L * i)));
        assertThat(taken).isEqualTo(expected);
        Outgoing.await("the first email and the sms are sent", () -> out.renderedEvents().size() == 2);
        // The others wait for their slots, as tasks due then (the test clock only moves when told).
        assertThat(Fixtures.strings(server, "select due_at from tasks where kind = ? and project_id = ? "
                + "and status = 'PENDING'", MessageSending.KIND, out.project.id())).hasSize(11);
        assertThat(emails.stream().filter(m -> out.status(m.id()).equals("QUEUED"))).hasSize(11);
        out.advance(T.plusMillis(1099));
        assertThat(emails.stream().filter(m -> out.status(m.id()).equals("QUEUED"))).hasSize(1);
        out.advance(T.plusMillis(1100));
        assertThat(emails).allSatisfy(m -> assertThat(out.status(m.id())).isEqualTo("SENT"));
        assertThat(out.renderedEvents()).hasSize(13);
    }

    @Test
    void twoNodesShareTheChannelsSlots() {
        ana();
        List<Message> messages = new ArrayList<>();
        try (var other = server.anotherNode()) {
            Outgoing there = new Outgoing(other, other.client(key));
            for (int i = 0; i < 10; i++) {
                messages.add(out.queue("c-1", GREETING, T));
                messages.add(there.queue("c-1", GREETING, T));
            }
            Outgoing.await("every message has its slot",
                    () -> slots(messages).stream().allMatch(java.util.Objects::nonNull));
        }
        List<Instant> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) expected.add(T.plus(Duration.ofMillis(100L * i)));
        assertThat(slots(messages).stream().sorted().toList()).isEqualTo(expected);
    }

    @Test
    void consentWithdrawnBeforeTheSendFailsTheMessageUnsent() {
        ana();
        out.customer("c-2", Map.of("firstName", "Bo", "email", "bo@example.com"), Map.of("email", true));
        Message first = out.queue("c-1", GREETING, T);
        Outgoing.await("the first is sent", () -> out.status(first.id()).equals("SENT"));
        Message second = out.queue("c-2", GREETING, T);
        Outgoing.await("the second has its slot", () -> out.slot(second.id()) != null);
        assertThat(out.status(second.id())).isEqualTo("QUEUED");
        out.customer("c-2", Map.of(), Map.of("email", false));
        out.advance(T.plusSeconds(1));
        assertThat(out.status(second.id())).isEqualTo("FAILED");
        assertThat(out.column("error", second.id())).isEqualTo("no_consent");
        assertThat(out.renderedEvents()).extracting(e -> e.get("id").asText()).containsExactly(first.id());
    }

    @Test
    void queueingWithoutConsentIsRefusedAndLeavesTheCallersTransactionUsable() {
        ana();
        out.customer("c-2", Map.of("firstName", "Bo", "email", "bo@example.com"), Map.of("sms", true));
        Message kept = server.app().database().transaction(tx -> {
            assertThatThrownBy(() -> server.app().messages().queue(tx, out.project, "c-2", GREETING, Map.of(), T))
                    .isInstanceOfSatisfying(Failure.Refused.class, f -> assertThat(f.code()).isEqualTo("no_consent"));
            return server.app().messages().queue(tx, out.project, "c-1", GREETING, Map.of(), T);
        });
        assertThat(Fixtures.strings(server, "select id from messages where project_id = ?", out.project.id()))
                .containsExactly(kept.id());
        assertThat(published()).isEqualTo(1);
    }

    @Test
    void aPlaceholderWithoutAValueRefusesTheMessageAndPublishesNothing() {
        out.customer("c-1", Map.of("firstName", "Ana"), Map.of("email", true));
        assertThatThrownBy(() -> out.queue("c-1", GREETING, T))
                .isInstanceOfSatisfying(Failure.Invalid.class, f -> assertThat(f.errors()).singleElement()
                        .satisfies(e -> {
                            assertThat(e.field()).isEqualTo("to");
                            assertThat(e.message()).contains("{{customer.attributes.email}}");
                        }));
        out.customer("c-1", Map.of("email", "not an address"), Map.of());
        assertThatThrownBy(() -> out.queue("c-1", GREETING, T))
                .isInstanceOfSatisfying(Failure.Invalid.class, f -> assertThat(f.getMessage())
                        .contains("to: renders to 'not an address'"));
        assertThat(published()).isZero();
        assertThat(Fixtures.count(server, "select count(*) from messages where project_id = ?", out.project.id()))
                .isZero();
    }

    @Test
    void extraVariablesRenderByName() {
        ana();
        Message m = server.app().database().transaction(tx -> server.app().messages().queue(tx, out.project, "c-1",
                new Draft("push", null, null, "Thanks for order {{order.id}} of {{order.total}}"),
                Map.of("order", Map.of("id", "o-7", "total", 12550)), T));
        assertThat(m.text()).isEqualTo("Thanks for order o-7 of 12550");
    }

    @Test
    void theExportListsTheCustomersMessagesAndErasureEmptiesThem() {
        ana();
        Message sent = out.queue("c-1", GREETING, T);
        Outgoing.await("the message is sent", () -> out.status(sent.id()).equals("SENT"));
        Message waiting = out.queue("c-1", GREETING, T);
        Outgoing.await("the second has its slot", () -> out.slot(waiting.id()) != null);

        JsonNode exported = api().get("/v1/customers/c-1/export").json().get("messages");
        assertThat(exported).hasSize(2);
        assertThat(exported.get(0).get("id").asText()).isEqualTo(sent.id());
        assertThat(exported.get(0).get("to").asText()).isEqualTo("ana@example.com");
        assertThat(exported.get(0).get("status").asText()).isEqualTo("SENT");
        assertThat(exported.get(1).get("status").asText()).isEqualTo("QUEUED");

        Response erased = api().delete("/v1/customers/c-1");
        assertThat(erased.status()).as(erased.toString()).isIn(200, 204);
        assertThat(Fixtures.strings(server, "select customer_id || '|' || recipient || '|' || subject || '|' || body "
                + "from messages where project_id = ?", out.project.id())).hasSize(2)
                .allSatisfy(row -> assertThat(row).matches("[^|]+\\|\\|\\|").doesNotContain("c-1"));
        assertThat(out.status(waiting.id())).isEqualTo("FAILED");
        assertThat(out.column("error", waiting.id())).isEqualTo("erased");
        JsonNode event = out.renderedEvents().getFirst();
        assertThat(event.get("to").asText()).isEmpty();
        assertThat(event.get("subject").asText()).isEmpty();
        assertThat(event.get("text").asText()).isEmpty();
        assertThat(event.toString()).doesNotContain("c-1").doesNotContain("Ana");
        out.advance(T.plusSeconds(1));
        assertThat(out.renderedEvents()).hasSize(1);
    }
}
