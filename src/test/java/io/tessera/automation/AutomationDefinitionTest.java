package io.tessera.automation;

import static io.tessera.automation.AutomationFixtures.automation;
import static io.tessera.automation.AutomationFixtures.codes;
import static io.tessera.automation.AutomationFixtures.created;
import static io.tessera.automation.AutomationFixtures.publish;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Creating, reading, changing, pausing and deleting automations; every bad definition is a 422 naming its field. */
class AutomationDefinitionTest extends ServerPerDatabase {

    @BeforeEach
    void campaigns() {
        codes(api(), "comeback", 5);
        created(api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty",
                Map.of("earning", List.of()))));
        created(api().post("/v1/webhooks", Map.of("name", "crm", "url", "http://127.0.0.1:9/hooks",
                "events", List.of("automation.fired"))));
    }

    private Response create(Map<String, Object> body) {
        return api().post("/v1/automations", body);
    }

    /** The 422's field errors as "field" names. */
    private static List<String> fields(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        return r.json().get("errors").findValuesAsText("field");
    }

    private long automations() {
        return api().get("/v1/automations").json().get("data").size();
    }

    @Test
    void anAutomationIsCreatedReadListedAndShownWithItsDefinition() {
        Map<String, Object> body = automation("comeback", "on", "event:cart_abandoned",
                "condition", "customer.orders.count == 0", "delay", "P30D", "limit", Map.of("perCustomer", 1),
                "actions", List.of(Map.of("type", "PUBLISH_CODE", "campaign", "comeback"),
                        Map.of("type", "ADD_POINTS", "program", "stars", "points", "100"),
                        Map.of("type", "WEBHOOK", "webhook", "crm")));
        JsonNode a = created(create(body)).json();
        assertThat(a.get("on").asText()).isEqualTo("event:cart_abandoned");
        assertThat(a.get("delay").asText()).isEqualTo("P30D");
        assertThat(a.get("active").asBoolean()).isTrue();
        assertThat(a.at("/actions/1/points").asText()).isEqualTo("100");
        assertThat(api().get("/v1/automations/comeback").json()).isEqualTo(a);
        assertThat(api().get("/v1/automations").json().at("/data/0/name").asText()).isEqualTo("comeback");
    }

    @Test
    void aPatchPausesAndResumesAndChangesTheDefinitionButNotTheName() {
        created(create(automation("a", "on", "order_paid", "actions", publish("comeback"))));
        Response paused = api().patch("/v1/automations/a", Map.of("active", false));
        assertThat(paused.status()).as(paused.toString()).isEqualTo(200);
        assertThat(paused.json().get("active").asBoolean()).isFalse();
        JsonNode resumed = api().patch("/v1/automations/a", Map.of("active", true, "delay", "PT2H")).json();
        assertThat(resumed.get("active").asBoolean()).isTrue();
        assertThat(resumed.get("delay").asText()).isEqualTo("PT2H");
        assertThat(fields(api().patch("/v1/automations/a", Map.of("name", "b")))).containsExactly("name");
        assertThat(fields(api().patch("/v1/automations/a", Map.of("on", "sometimes")))).containsExactly("on");
        assertThat(api().get("/v1/automations/a").json().get("delay").asText()).isEqualTo("PT2H");
    }

    @Test
    void aDeletedAutomationIsGone() {
        created(create(automation("a", "on", "order_paid", "actions", publish("comeback"))));
        assertThat(api().delete("/v1/automations/a").status()).isEqualTo(204);
        assertThat(api().get("/v1/automations/a").status()).isEqualTo(404);
        assertThat(api().get("/v1/automations/a/runs").status()).isEqualTo(404);
        assertThat(api().delete("/v1/automations/a").status()).isEqualTo(404);
    }

    @Test
    void creatingChangingAndDeletingAreAudited() {
        created(create(automation("a", "on", "order_paid", "actions", publish("comeback"))));
        api().patch("/v1/automations/a", Map.of("active", false));
        api().delete("/v1/automations/a");
        JsonNode entries = api().get("/v1/audit?resource=automation/a").json().get("data");
        assertThat(entries.findValuesAsText("action")).containsExactlyInAnyOrder("automation.created",
                "automation.updated", "automation.deleted");
        JsonNode updated = entries.findParents("action").stream()
                .filter(e -> e.get("action").asText().equals("automation.updated")).findFirst().orElseThrow();
        assertThat(updated.at("/before/active").asBoolean()).isTrue();
        assertThat(updated.at("/after/active").asBoolean()).isFalse();
    }

    @Test
    void aSecondAutomationOfTheSameNameIsAConflict() {
        created(create(automation("a", "on", "order_paid", "actions", publish("comeback"))));
        Response again = create(automation("a", "on", "customer_created", "actions", publish("comeback")));
        assertThat(again.status()).isEqualTo(409);
        assertThat(api().get("/v1/automations/a").json().get("on").asText()).isEqualTo("order_paid");
    }

    @Test
    void writesNeedTheAdminScope() {
        String reader = api().post("/v1/api-keys", Map.of("name", "reader", "scopes", List.of("read"))).json().get("key")
                .asText();
        Response r = server.post("/v1/automations", reader, automation("a", "on", "order_paid",
                "actions", publish("comeback")));
        assertThat(r.status()).isEqualTo(403);
        assertThat(automations()).isZero();
    }

    @Test
    void anUnknownTriggerOrAMalformedEventTypeIsRefused() {
        assertThat(fields(create(automation("a", "on", "sometimes", "actions", publish("comeback")))))
                .containsExactly("on");
        assertThat(fields(create(automation("a", "on", "event:Bad Type", "actions", publish("comeback")))))
                .containsExactly("on");
        assertThat(automations()).isZero();
    }

    @Test
    void aConditionIsTypeCheckedAgainstItsTriggersData() {
        // A birthday has no order; an order_paid automation sees the paid order with its total.
        assertThat(fields(create(automation("a", "on", "birthday", "condition", "order.total > 100",
                "actions", publish("comeback"))))).containsExactly("condition");
        assertThat(fields(create(automation("a", "on", "order_paid", "condition", "order.total",
                "actions", publish("comeback"))))).containsExactly("condition");
        assertThat(fields(create(automation("a", "on", "tier_changed", "condition", "tier.to == 1",
                "actions", publish("comeback"))))).containsExactly("condition");
        created(create(automation("a", "on", "order_paid", "condition", "order.total > 100",
                "actions", publish("comeback"))));
        created(create(automation("b", "on", "tier_changed", "condition", "tier.to == 'Gold'",
                "actions", publish("comeback"))));
    }

    @Test
    void aDelayIsANonNegativeDurationInDaysOrLess() {
        created(create(automation("days", "on", "order_paid", "delay", "P30D", "actions", publish("comeback"))));
        created(create(automation("weeks", "on", "order_paid", "delay", "P2W", "actions", publish("comeback"))));
        for (String bad : List.of("PT-1H", "P1M", "soon", "P99999D")) {
            assertThat(fields(create(automation("bad", "on", "order_paid", "delay", bad,
                    "actions", publish("comeback"))))).as(bad).containsExactly("delay");
        }
    }

    @Test
    void actionsMustBeKnownAndReferToWhatExists() {
        assertThat(fields(create(automation("a", "on", "order_paid", "actions", List.of())))).containsExactly("actions");
        assertThat(fields(create(automation("a", "on", "order_paid",
                "actions", List.of(Map.of("type", "NOTHING")))))).containsExactly("actions[0].type");
        assertThat(fields(create(automation("a", "on", "order_paid",
                "actions", List.of(Map.of("type", "MESSAGE", "channel", "email"))))))
                .containsExactlyInAnyOrder("actions[0].to", "actions[0].template");
        assertThat(fields(create(automation("a", "on", "order_paid",
                "actions", List.of(Map.of("type", "WEBHOOK", "webhook", "nope")))))).containsExactly("actions[0].webhook");
        assertThat(fields(create(automation("a", "on", "order_paid", "actions", publish("nope")))))
                .containsExactly("actions[0].campaign");
        assertThat(fields(create(automation("a", "on", "order_paid",
                "actions", List.of(Map.of("type", "ADD_POINTS", "program", "comeback", "points", 10))))))
                .containsExactly("actions[0].program");
        assertThat(fields(create(automation("a", "on", "order_paid",
                "actions", List.of(Map.of("type", "ADD_POINTS", "program", "stars", "points", 0))))))
                .containsExactly("actions[0].points");
        assertThat(fields(create(automation("a", "on", "customer_created",
                "actions", List.of(Map.of("type", "ADD_POINTS", "program", "stars", "points", "order.total"))))))
                .containsExactly("actions[0].points");
        assertThat(automations()).isZero();
    }

    @Test
    void pointsExpiringNeedsNotifyDaysBeforeAndOnlyIt() {
        assertThat(fields(create(automation("a", "on", "points_expiring", "actions", publish("comeback")))))
                .containsExactly("notifyDaysBefore");
        assertThat(fields(create(automation("a", "on", "order_paid", "notifyDaysBefore", 7,
                "actions", publish("comeback"))))).containsExactly("notifyDaysBefore");
        created(create(automation("a", "on", "points_expiring", "notifyDaysBefore", 7,
                "condition", "points.points >= 100", "actions", publish("comeback"))));
    }

    @Test
    void segmentEnteredNeedsADynamicSegment() {
        api().post("/v1/segments", Map.of("name", "beta", "customers", List.of("c-1")));
        api().post("/v1/segments", Map.of("name", "vip", "condition", "customer.orders.count >= 2"));
        assertThat(fields(create(automation("a", "on", "segment_entered:nope", "actions", publish("comeback")))))
                .containsExactly("on");
        assertThat(fields(create(automation("a", "on", "segment_entered:beta", "actions", publish("comeback")))))
                .containsExactly("on");
        created(create(automation("a", "on", "segment_entered:vip", "actions", publish("comeback"))));
    }
}
