package io.tessera.automation;

import io.tessera.testing.Receiver;
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
import io.tessera.core.Json;
import io.tessera.core.Keys;
import io.tessera.testing.Fixtures;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every trigger starts a run in the transaction of its change, due after the delay; advancing the test clock to then
 * does the actions once.
 */
class AutomationTriggersTest extends ServerPerDatabase {
    private static final String T = "2031-05-01T10:00:00Z";
    private static final String T_PLUS_1H = "2031-05-01T11:00:00Z";

    private TestServer.Client at;

    @BeforeEach
    void comebackCodes() {
        at = api().at(T);
        codes(at, "comeback", 10);
    }

    private void automationOf(Map<String, Object> body) {
        created(at.post("/v1/automations", body));
    }

    /** A program "stars" earning one point per unit of the order total, with these settings. */
    private void stars(Map<String, Object> settings) {
        Map<String, Object> loyalty = new LinkedHashMap<>(Map.of("earning",
                List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100"))));
        loyalty.putAll(settings);
        created(at.post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", loyalty)));
    }

    @Test
    void aPaidOrderFiresWithTheOrderInItsConditionAndPoints() {
        stars(Map.of());
        automationOf(automation("big-spender", "on", "order_paid", "condition", "order.total >= 1000",
                "delay", "PT1H", "actions", List.of(Map.of("type", "PUBLISH_CODE", "campaign", "comeback"),
                        Map.of("type", "ADD_POINTS", "program", "stars", "points", "order.total / 10"))));
        paid(at, "o-1", "c-1", 5000);
        paid(at, "o-2", "c-2", 500);
        paid(at, "o-1", "c-1", 5000); // re-sent: the order fires once
        JsonNode scheduled = runs(at, "big-spender");
        assertThat(scheduled.size()).as("the small order does not meet the condition").isEqualTo(1);
        assertThat(scheduled.at("/0/status").asText()).isEqualTo("SCHEDULED");
        assertThat(scheduled.at("/0/dueAt").asText()).isEqualTo(T_PLUS_1H);

        advance(at, T_PLUS_1H);
        JsonNode run = runs(at, "big-spender").get(0);
        assertThat(run.get("status").asText()).isEqualTo("DONE");
        assertThat(run.at("/outputs/0/code").asText()).startsWith("COMEBACK-");
        assertThat(run.at("/outputs/1/points").asLong()).isEqualTo(500);
        // 50 earned by the order, 500 by the automation.
        TestServer.Client later = api().at(T_PLUS_1H);
        assertThat(later.get("/v1/loyalty/stars/members/c-1").json().get("balance").asLong()).isEqualTo(550);
        JsonNode earn = later.get("/v1/loyalty/stars/members/c-1/transactions").json().at("/data/0");
        assertThat(earn.get("reason").asText()).isEqualTo("automation big-spender");
    }

    @Test
    void anEventFiresAndADelayedRunWhoseConditionNoLongerHoldsIsSkipped() {
        automationOf(automation("comeback", "on", "event:cart_abandoned", "condition", "customer.orders.count == 0",
                "delay", "PT1H", "actions", publish("comeback")));
        event(at, "c-1", "cart_abandoned");
        event(at, "c-2", "cart_abandoned");
        event(at, "c-3", "product_viewed");
        paid(api().at("2031-05-01T10:30:00Z"), "o-1", "c-2", 5000);
        advance(at, T_PLUS_1H);
        JsonNode runs = runs(at, "comeback");
        assertThat(runs.size()).isEqualTo(2);
        Map<String, JsonNode> byCustomer = new LinkedHashMap<>();
        for (JsonNode r : runs) byCustomer.put(r.get("customer").asText(), r);
        assertThat(byCustomer.get("c-1").get("status").asText()).isEqualTo("DONE");
        assertThat(byCustomer.get("c-2").get("status").asText()).isEqualTo("SKIPPED");
        assertThat(byCustomer.get("c-2").get("error").asText()).isEqualTo("the condition no longer holds");
        assertThat(byCustomer.get("c-2").get("trigger").asText()).isEqualTo("event:cart_abandoned");
        assertThat(AutomationFixtures.published(server, key, "comeback")).isEqualTo(1);
    }

    @Test
    void aConditionReadsTheCustomersEventsAndRedemptionsAsTheyAreWhenTheRunComesDue() {
        automationOf(automation("second-look", "on", "event:product_viewed",
                "condition", "customer.events.product_viewed.count >= 2 && !('comeback' in customer.redeemed)",
                "delay", "PT1H", "actions", publish("comeback")));
        event(at, "c-1", "product_viewed");
        event(at, "c-2", "product_viewed");
        event(at, "c-2", "product_viewed");
        advance(at, T_PLUS_1H);
        // Both of c-2's runs see its two views when due, but the second comes after the first published a code: that
        // is not a redemption, so both act; c-1's single view never meets the condition.
        Map<String, Long> done = new LinkedHashMap<>();
        for (JsonNode r : runs(at, "second-look")) {
            if (r.get("status").asText().equals("DONE")) done.merge(r.get("customer").asText(), 1L, Long::sum);
        }
        assertThat(done).containsOnlyKeys("c-2");
    }

    @Test
    void aNewCustomerFiresOnceAndChangesToItDoNot() {
        automationOf(automation("welcome", "on", "customer_created", "delay", "PT1H", "actions", publish("comeback")));
        at.put("/v1/customers/c-1", Map.of("attributes", Map.of("name", "Ana")));
        at.put("/v1/customers/c-1", Map.of("attributes", Map.of("name", "Anna")));
        paid(at, "o-1", "c-2", 100); // an order's unknown customer is created too
        advance(at, T_PLUS_1H);
        JsonNode runs = runs(at, "welcome");
        assertThat(runs.findValuesAsText("customer")).containsExactlyInAnyOrder("c-1", "c-2");
        assertThat(runs.findValuesAsText("status")).containsOnly("DONE");
    }

    @Test
    void aTierChangeFiresWithTheTiersInItsCondition() {
        stars(Map.of("tiers", List.of(Map.of("name", "Bronze", "min", 0), Map.of("name", "Silver", "min", 1000))));
        automationOf(automation("silver", "on", "tier_changed", "condition", "tier.to == 'Silver'",
                "delay", "PT1H", "actions", publish("comeback")));
        paid(at, "o-1", "c-1", 50000); // 500 points: Bronze
        paid(at, "o-2", "c-1", 60000); // 1,100 points: Silver
        advance(at, T_PLUS_1H);
        JsonNode runs = runs(at, "silver");
        assertThat(runs.size()).isEqualTo(1);
        assertThat(runs.at("/0/status").asText()).isEqualTo("DONE");
        assertThat(runs.at("/0/trigger").asText()).isEqualTo("tier_changed");
    }

    @Test
    void pointsAboutToExpireFireNotifyDaysBeforeAndAnnounceTheExpiry() {
        stars(Map.of("expiry", Map.of("afterDays", 30)));
        Fixtures.recordEvents(server, key, "points.expiring");
        automationOf(automation("reminder", "on", "points_expiring", "notifyDaysBefore", 7,
                "condition", "points.points >= 100", "actions", publish("comeback")));
        paid(at, "o-1", "c-1", 30000); // 300 points, expiring 2031-05-31T10:00Z
        paid(at, "o-2", "c-2", 5000); // 50 points: below the condition
        assertThat(runs(at, "reminder").at("/0/dueAt").asText()).isEqualTo("2031-05-24T10:00:00Z");
        advance(at, "2031-05-24T09:59:59Z");
        assertThat(runs(at, "reminder").at("/0/status").asText()).isEqualTo("SCHEDULED");
        advance(at, "2031-05-24T10:00:00Z");
        assertThat(runs(at, "reminder").at("/0/status").asText()).isEqualTo("DONE");
        List<String> expiring = Fixtures.strings(server, "select payload from events where type = 'points.expiring' "
                + "and project_id = (select project_id from api_keys where key_hash = ?)", Keys.hash(key));
        assertThat(expiring).hasSize(1);
        JsonNode data = Json.parse(expiring.getFirst());
        assertThat(data.get("points").asLong()).isEqualTo(300);
        assertThat(data.get("customer").asText()).isEqualTo("c-1");
    }

    @Test
    void pointsSpentBeforeTheReminderSkipIt() {
        stars(Map.of("expiry", Map.of("afterDays", 30)));
        automationOf(automation("reminder", "on", "points_expiring", "notifyDaysBefore", 7,
                "actions", publish("comeback")));
        paid(at, "o-1", "c-1", 30000);
        api().at("2031-05-10T00:00:00Z").post("/v1/loyalty/stars/members/c-1/transactions",
                Map.of("points", -300, "reason", "spent"));
        advance(at, "2031-05-24T10:00:00Z");
        JsonNode run = runs(at, "reminder").get(0);
        assertThat(run.get("status").asText()).isEqualTo("SKIPPED");
        assertThat(run.get("error").asText()).isEqualTo("the points are no longer held");
    }

    @Test
    void enteringADynamicSegmentFiresOnTheChangeThatMakesItTrue() {
        created(at.post("/v1/segments", Map.of("name", "regulars", "condition", "customer.orders.count >= 2")));
        automationOf(automation("regulars", "on", "segment_entered:regulars", "delay", "PT1H",
                "actions", publish("comeback")));
        paid(at, "o-1", "c-1", 1000);
        assertThat(runs(at, "regulars").size()).isZero();
        paid(at, "o-2", "c-1", 1000);
        assertThat(runs(at, "regulars").size()).isEqualTo(1);
        paid(at, "o-3", "c-1", 1000);
        at.put("/v1/customers/c-1", Map.of("attributes", Map.of("name", "Ana")));
        advance(at, T_PLUS_1H);
        JsonNode runs = runs(at, "regulars");
        assertThat(runs.size()).as("staying inside is no new entry").isEqualTo(1);
        assertThat(runs.at("/0/status").asText()).isEqualTo("DONE");
    }

    @Test
    void aWebhookActionSendsWhatTheEarlierActionsProducedToThatWebhook() {
        Receiver receiver = new Receiver();
        // Subscribed to nothing else: the action's event reaches it because the action names it.
        created(api().post("/v1/webhooks", Map.of("name", "crm", "url", receiver.url(),
                "events", List.of("code.published"), "secret", "s3cret")));
        automationOf(automation("crm", "on", "order_paid", "delay", "PT1H",
                "actions", List.of(Map.of("type", "PUBLISH_CODE", "campaign", "comeback"),
                        Map.of("type", "WEBHOOK", "webhook", "crm"))));
        paid(at, "o-1", "c-1", 1000);
        advance(at, T_PLUS_1H);
        JsonNode run = runs(at, "crm").get(0);
        List<String> fired = Fixtures.strings(server, "select payload from events where type = 'automation.fired' "
                + "and id = ?", run.at("/outputs/1/event").asText());
        assertThat(fired).hasSize(1);
        JsonNode data = Json.parse(fired.getFirst());
        assertThat(data.get("automation").asText()).isEqualTo("crm");
        assertThat(data.get("customer").asText()).isEqualTo("c-1");
        assertThat(data.get("trigger").asText()).isEqualTo("order_paid");
        assertThat(data.at("/triggerData/order/id").asText()).isEqualTo("o-1");
        assertThat(data.at("/outputs/0/code").asText()).isEqualTo(run.at("/outputs/0/code").asText());
        // Delivered to that webhook (the published code too, which it subscribed to): the second delivery to one
        // receiver at one instant waits for the receiver's next throttle slot, a moment later on the test clock.
        advance(at, "2031-05-01T11:00:01Z");
        try (receiver) {
            List<Receiver.Call> calls = receiver.await(c -> c.stream().anyMatch(x -> x.body().contains("automation.fired")));
            JsonNode body = Json.parse(calls.stream().filter(x -> x.body().contains("automation.fired")).findFirst()
                    .orElseThrow().body());
            assertThat(body.get("id").asText()).isEqualTo(run.at("/outputs/1/event").asText());
            assertThat(body.at("/data/outputs/0/code").asText()).isEqualTo(run.at("/outputs/0/code").asText());
        }
    }

    @Test
    void aRunDueAtOnceIsRunByTheScheduler() {
        automationOf(automation("now", "on", "event:signed_up", "actions", publish("comeback")));
        event(at, "c-1", "signed_up");
        JsonNode runs = AutomationFixtures.awaitRuns(at, "now", AutomationFixtures.ended(1));
        assertThat(runs.at("/0/status").asText()).isEqualTo("DONE");
        assertThat(AutomationFixtures.published(server, key, "comeback")).isEqualTo(1);
    }
}
