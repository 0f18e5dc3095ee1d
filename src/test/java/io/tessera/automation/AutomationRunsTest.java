package io.tessera.automation;

import static io.tessera.automation.AutomationFixtures.advance;
import static io.tessera.automation.AutomationFixtures.automation;
import static io.tessera.automation.AutomationFixtures.codes;
import static io.tessera.automation.AutomationFixtures.created;
import static io.tessera.automation.AutomationFixtures.event;
import static io.tessera.automation.AutomationFixtures.paid;
import static io.tessera.automation.AutomationFixtures.publish;
import static io.tessera.automation.AutomationFixtures.runs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pausing, deleting, limits, failures, the runs log and the runs as personal data. */
class AutomationRunsTest extends ServerPerDatabase {
    private static final String T = "2031-05-01T10:00:00Z";
    private static final String T_PLUS_1H = "2031-05-01T11:00:00Z";

    private TestServer.Client at;

    @BeforeEach
    void comebackCodes() {
        at = api().at(T);
        codes(at, "comeback", 10);
    }

    private void comeback(Object... more) {
        List<Object> fields = new ArrayList<>(List.of("on", "event:cart_abandoned", "delay", "PT1H",
                "actions", publish("comeback")));
        fields.addAll(List.of(more));
        created(at.post("/v1/automations", automation("comeback", fields.toArray())));
    }

    @Test
    void aPausedAutomationStartsNoRuns() {
        comeback("active", false);
        event(at, "c-1", "cart_abandoned");
        assertThat(runs(at, "comeback").size()).isZero();
    }

    @Test
    void aRunDueWhileItsAutomationIsPausedIsSkipped() {
        comeback();
        event(at, "c-1", "cart_abandoned");
        at.patch("/v1/automations/comeback", Map.of("active", false));
        advance(at, T_PLUS_1H);
        at.patch("/v1/automations/comeback", Map.of("active", true));
        JsonNode run = runs(at, "comeback").get(0);
        assertThat(run.get("status").asText()).isEqualTo("SKIPPED");
        assertThat(run.get("error").asText()).isEqualTo("the automation is paused");
        assertThat(AutomationFixtures.published(server, key, "comeback")).isZero();
    }

    @Test
    void aRunDueAfterItsAutomationWasDeletedIsSkipped() {
        comeback();
        event(at, "c-1", "cart_abandoned");
        String run = runs(at, "comeback").at("/0/id").asText();
        assertThat(at.delete("/v1/automations/comeback").status()).isEqualTo(204);
        advance(at, T_PLUS_1H);
        assertThat(Fixtures.strings(server, "select status || ': ' || error from automation_runs where id = ?", run))
                .containsExactly("SKIPPED: the automation was deleted");
        assertThat(AutomationFixtures.published(server, key, "comeback")).isZero();
    }

    @Test
    void thePerCustomerLimitHoldsUnderConcurrentTriggers() {
        comeback("limit", Map.of("perCustomer", 2));
        List<CompletableFuture<Response>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(server.callAsync("POST", "/v1/events", key, Map.of("customer", "c-1", "type", "cart_abandoned",
                    "properties", Map.of())));
        }
        for (CompletableFuture<Response> f : sent) assertThat(f.join().status()).isEqualTo(202);
        assertThat(runs(api(), "comeback").size()).isEqualTo(2);
    }

    @Test
    void aSkippedRunDoesNotCountAgainstTheLimit() {
        comeback("limit", Map.of("perCustomer", 1), "condition", "customer.attributes.status == 'active'");
        at.put("/v1/customers/c-1", Map.of("attributes", Map.of("status", "active")));
        event(at, "c-1", "cart_abandoned");
        event(at, "c-1", "cart_abandoned");
        assertThat(runs(at, "comeback").size()).as("the limit").isEqualTo(1);
        api().at("2031-05-01T10:30:00Z").put("/v1/customers/c-1", Map.of("attributes", Map.of("status", "gone")));
        advance(at, T_PLUS_1H);
        TestServer.Client later = api().at(T_PLUS_1H);
        later.put("/v1/customers/c-1", Map.of("attributes", Map.of("status", "active")));
        event(later, "c-1", "cart_abandoned");
        advance(at, "2031-05-01T12:00:00Z");
        assertThat(runs(at, "comeback").findValuesAsText("status")).containsExactly("DONE", "SKIPPED");
    }

    @Test
    void aFailingActionShowsItsErrorIsRetriedAndEndsFailed() {
        codes(at, "few", 1);
        created(at.post("/v1/automations", automation("few", "on", "order_paid", "delay", "PT1H",
                "actions", publish("few"))));
        paid(at, "o-1", "c-1", 1000);
        paid(at, "o-2", "c-2", 1000);
        advance(at, T_PLUS_1H);
        JsonNode runs = runs(at, "few");
        JsonNode failing = runs.findParents("status").stream()
                .filter(r -> r.get("status").asText().equals("SCHEDULED")).findFirst().orElseThrow();
        assertThat(failing.get("error").asText()).contains("no unused code");
        for (String to : List.of("2031-05-01T12:00:00Z", "2031-05-01T13:00:00Z", "2031-05-01T14:00:00Z")) {
            advance(at, to);
        }
        assertThat(runs(at, "few").findValuesAsText("status")).containsExactlyInAnyOrder("DONE", "FAILED");
        JsonNode failed = runs(at, "few").findParents("status").stream()
                .filter(r -> r.get("status").asText().equals("FAILED")).findFirst().orElseThrow();
        assertThat(failed.get("error").asText()).contains("no unused code");
        assertThat(AutomationFixtures.published(server, key, "few")).isEqualTo(1);
    }

    @Test
    void runsAreListedNewestFirstAPageAtATimeAndFiltered() {
        comeback("condition", "customer.orders.count == 0");
        for (String c : List.of("c-1", "c-2", "c-3")) event(at, c, "cart_abandoned");
        paid(api().at("2031-05-01T10:30:00Z"), "o-1", "c-2", 1000);
        advance(at, T_PLUS_1H);
        JsonNode first = at.get("/v1/automations/comeback/runs?limit=2").json();
        assertThat(first.get("data").findValuesAsText("customer")).containsExactly("c-3", "c-2");
        JsonNode second = at.get("/v1/automations/comeback/runs?limit=2&cursor=" + first.get("nextCursor").asText())
                .json();
        assertThat(second.get("data").findValuesAsText("customer")).containsExactly("c-1");
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(at.get("/v1/automations/comeback/runs?status=SKIPPED").json().get("data")
                .findValuesAsText("customer")).containsExactly("c-2");
        assertThat(at.get("/v1/automations/comeback/runs?customer=c-3").json().get("data")
                .findValuesAsText("status")).containsExactly("DONE");
    }

    @Test
    void badRunsQueriesAreRefusedNamingTheParameter() {
        comeback();
        Response status = at.get("/v1/automations/comeback/runs?status=LATE");
        assertThat(status.status()).isEqualTo(422);
        assertThat(status.json().get("errors").findValuesAsText("field")).containsExactly("status");
        Response unknown = at.get("/v1/automations/comeback/runs?custmer=c-1");
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("errors").findValuesAsText("field")).containsExactly("custmer");
    }

    @Test
    void aCustomersRunsAreExported() {
        comeback();
        event(at, "c-1", "cart_abandoned");
        JsonNode export = at.get("/v1/customers/c-1/export").json();
        assertThat(export.at("/automationRuns/0/automation").asText()).isEqualTo("comeback");
        assertThat(export.at("/automationRuns/0/triggerData/event/type").asText()).isEqualTo("cart_abandoned");
    }

    @Test
    void erasingACustomerPseudonymisesItsRunsAndEmptiesTheirTriggerData() {
        comeback();
        event(at, "c-1", "cart_abandoned");
        String run = runs(at, "comeback").at("/0/id").asText();
        assertThat(at.delete("/v1/customers/c-1").status()).isIn(200, 204);
        JsonNode shown = runs(at, "comeback").get(0);
        assertThat(shown.get("customer").asText()).isNotEqualTo("c-1");
        assertThat(Fixtures.strings(server, "select trigger_data from automation_runs where id = ?", run))
                .containsExactly("{}");
        advance(at, T_PLUS_1H); // the run still happens, for the pseudonymous customer
        assertThat(runs(at, "comeback").at("/0/status").asText()).isEqualTo("DONE");
    }
}
