package io.tessera.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Moving a project's configuration: this test's project is the sandbox, a second project on the same server stands
 * for production.
 */
class ProjectTransferTest extends ServerPerDatabase {
    private static final String SECRET = "s3cret-of-the-sandbox";

    @BeforeEach
    void sandbox() {
        ok(api().patch("/v1/project", Map.of("timezone", "Europe/Berlin", "maxDiscountsPerOrder", 3)), 200);
        ok(api().post("/v1/segments", Map.of("name", "loyal", "condition", "customer.orders.total >= 5000")), 201);
        ok(api().post("/v1/segments", Map.of("name", "staff", "customers", List.of("c-1"))), 201);
        ok(api().post("/v1/campaigns", Map.of("name", "bf26", "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                "pattern", "BF-######", "count", 5), "discount", Map.of("type", "PERCENT", "percent", 10))), 201);
        ok(api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty",
                Map.of("earning", List.of()))), 201);
        ok(api().post("/v1/campaigns", Map.of("name", "friends", "type", "REFERRAL", "codes", Map.of("mode",
                "UNIQUE", "pattern", "REF-######", "count", 10), "condition", "customer.isNew", "discount",
                Map.of("type", "AMOUNT", "amount", 1000), "referral", Map.of("referrerReward",
                        Map.of("points", 500, "program", "stars"), "conversion", "order_paid"))), 201);
        ok(api().post("/v1/loyalty/stars/rewards", Map.of("name", "ten-off", "cost", 500,
                "grant", Map.of("campaign", "bf26"), "stock", 20)), 201);
        ok(api().post("/v1/webhooks", Map.of("name", "crm", "url", "http://127.0.0.1:9/hooks",
                "events", List.of("automation.fired"), "secret", SECRET)), 201);
        ok(api().post("/v1/automations", Map.of("name", "comeback", "on", "order_paid",
                "actions", List.of(Map.of("type", "PUBLISH_CODE", "campaign", "bf26")))), 201);
    }

    private static Response ok(Response r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        return r;
    }

    private JsonNode export(TestServer.Client client) {
        return ok(client.get("/v1/project/export"), 200).json();
    }

    private static Response importInto(TestServer.Client client, JsonNode document, boolean dryRun) {
        return client.post("/v1/project/import", Map.of("dryRun", dryRun, "document", document));
    }

    private static List<String> actions(JsonNode answer) {
        List<String> out = new ArrayList<>();
        answer.get("changes").forEach(c -> out.add(c.get("resource").asText() + " " + c.get("action").asText()));
        return out;
    }

    /** Waits until the campaign has {@code count} codes (generation may run after the campaign's creation). */
    private static JsonNode awaitCodes(TestServer.Client client, String campaign, int count) {
        return await("the codes of " + campaign).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                .until(() -> ok(client.get("/v1/campaigns/" + campaign + "/codes"), 200).json().get("data"),
                        codes -> codes.size() >= count);
    }

    /** The document without what differs between installations by nature. */
    private static JsonNode comparable(JsonNode document) {
        ObjectNode d = document.deepCopy();
        d.remove("exportedAt");
        return d;
    }

    @Test
    void theExportHoldsEverySectionInDependencyOrderAsPostableDefinitions() {
        JsonNode doc = export(api());
        assertThat(doc.get("format").asText()).isEqualTo("tessera.project/1");
        assertThat(doc.fieldNames()).toIterable().containsExactly("format", "exportedAt", "settings", "segments",
                "campaigns", "rewards", "webhooks", "automations");
        assertThat(doc.at("/settings/timezone").asText()).isEqualTo("Europe/Berlin");
        assertThat(doc.get("segments").findValuesAsText("name")).containsExactly("loyal", "staff");
        assertThat(doc.at("/segments/1/customers")).isEmpty();
        assertThat(doc.at("/campaigns/0/codes/count").asLong()).isEqualTo(5);
        assertThat(doc.at("/rewards/0/program").asText()).isEqualTo("stars");
        assertThat(doc.at("/automations/0/name").asText()).isEqualTo("comeback");
        assertThat(doc.at("/automations/0").has("createdAt")).isFalse();
    }

    @Test
    void webhookSecretsAndCustomersNeverAppearInTheExport() {
        Response r = ok(api().get("/v1/project/export"), 200);
        assertThat(r.body()).doesNotContain(SECRET).doesNotContain("\"secret\"").doesNotContain("c-1");
    }

    @Test
    void aRoundTripIntoAnEmptyProjectExportsTheSameDocument() {
        TestServer.Client production = server.newProjectClient();
        JsonNode doc = export(api());
        JsonNode answer = ok(importInto(production, doc, false), 200).json();
        assertThat(answer.get("applied").asBoolean()).isTrue();
        assertThat(answer.at("/secrets/crm").asText()).startsWith("whsec_");
        assertThat(comparable(export(production))).isEqualTo(comparable(doc));
        // The target generated codes of its own for the UNIQUE campaign.
        assertThat(awaitCodes(production, "bf26", 5)).hasSize(5);
    }

    @Test
    void aDryRunListsCreatesUpdatesAndUnchangedWithDiffsAndChangesNothing() {
        TestServer.Client production = server.newProjectClient();
        ok(importInto(production, export(api()), false), 200);
        ok(api().patch("/v1/campaigns/bf26", Map.of("discount", Map.of("percent", 20))), 200);
        ok(api().post("/v1/segments", Map.of("name", "new-ones", "condition", "customer.orders.count == 0")), 201);
        JsonNode before = export(production);

        JsonNode answer = ok(importInto(production, export(api()), true), 200).json();
        assertThat(answer.get("dryRun").asBoolean()).isTrue();
        assertThat(answer.get("applied").asBoolean()).isFalse();
        assertThat(actions(answer)).contains("campaign/bf26 update", "segment/new-ones create",
                "campaign/stars unchanged", "webhook/crm unchanged");
        JsonNode bf26 = answer.get("changes").valueStream()
                .filter(c -> c.get("resource").asText().equals("campaign/bf26")).findFirst().orElseThrow();
        assertThat(bf26.at("/diff/discount.percent/from").asInt()).isEqualTo(10);
        assertThat(bf26.at("/diff/discount.percent/to").asInt()).isEqualTo(20);
        assertThat(comparable(export(production))).isEqualTo(comparable(before));
    }

    @Test
    void theRateLimitAndTheApprovalPolicyTravelWithTheSettings() {
        ok(api().patch("/v1/project", Map.of("rateLimit", 50, "approvals", Map.of("campaigns", true, "pointsAbove", 1000))),
                200);
        JsonNode doc = export(api());
        assertThat(doc.at("/settings/rateLimit").asInt()).isEqualTo(50);
        assertThat(doc.at("/settings/approvals/pointsAbove").asLong()).isEqualTo(1000);
        TestServer.Client production = server.newProjectClient();
        JsonNode dry = ok(importInto(production, doc, true), 200).json();
        assertThat(actions(dry)).anyMatch(a -> a.startsWith("project/") && a.endsWith(" update"));
        ok(importInto(production, doc, false), 200);
        JsonNode project = ok(production.get("/v1/project"), 200).json();
        assertThat(project.get("rateLimit").asInt()).isEqualTo(50);
        assertThat(project.at("/approvals/campaigns").asBoolean()).isTrue();
        assertThat(project.at("/approvals/pointsAbove").asLong()).isEqualTo(1000);
    }

    @Test
    void aSecondImportIsAllUnchanged() {
        TestServer.Client production = server.newProjectClient();
        JsonNode doc = export(api());
        ok(importInto(production, doc, false), 200);
        JsonNode again = ok(importInto(production, doc, false), 200).json();
        assertThat(again.get("changes").findValuesAsText("action")).isNotEmpty().containsOnly("unchanged");
    }

    @Test
    void aBadDocumentIsA422NamingTheFieldWithNothingApplied() {
        TestServer.Client production = server.newProjectClient();
        ObjectNode doc = export(api()).deepCopy();
        ((ObjectNode) doc.at("/campaigns/0/discount")).put("percent", 150);
        Response r = importInto(production, doc, false);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).contains("document.campaigns[0].discount.percent");
        JsonNode after = export(production);
        assertThat(after.get("campaigns")).isEmpty();
        assertThat(after.get("segments")).isEmpty();
        assertThat(after.get("webhooks")).isEmpty();
    }

    @Test
    void anAutomationNamingWhatNeitherTheDocumentNorTheTargetHasIsA422BeforeAnythingIsApplied() {
        TestServer.Client production = server.newProjectClient();
        ObjectNode doc = export(api()).deepCopy();
        ((ObjectNode) doc.at("/automations/0/actions/0")).put("campaign", "nowhere");
        Response r = importInto(production, doc, false);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactly("document.automations[0].actions[0].campaign");
        assertThat(export(production).get("campaigns")).isEmpty();
    }

    @Test
    void aReferralCampaignNamingAProgramNeitherTheDocumentNorTheTargetHasIsA422() {
        TestServer.Client production = server.newProjectClient();
        ObjectNode doc = export(api()).deepCopy();
        assertThat(doc.at("/campaigns/2/name").asText()).isEqualTo("friends");
        ((ObjectNode) doc.at("/campaigns/2/referral/referrerReward")).put("program", "nowhere");
        Response r = importInto(production, doc, true);
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactly("document.campaigns[2].referral.referrerReward.program");
    }

    @Test
    void everyImportedResourceAndTheImportItselfAreAudited() {
        TestServer.Client production = server.newProjectClient();
        ok(importInto(production, export(api()), false), 200);
        for (String resource : List.of("campaign/bf26", "webhook/crm", "automation/comeback")) {
            JsonNode entries = ok(production.get("/v1/audit?resource=" + resource), 200).json().get("data");
            assertThat(entries.findValuesAsText("action")).as(resource).hasSize(1).allMatch(a -> a.endsWith(".created"));
        }
        JsonNode all = ok(production.get("/v1/audit"), 200).json().get("data");
        assertThat(all.findValuesAsText("action")).contains("project.imported", "segment.created",
                "loyalty-reward.created", "project.updated");
    }

    @Test
    void bothCallsNeedTheAdminScope() {
        Response created = ok(api().post("/v1/api-keys", Map.of("name", "reader", "scopes", List.of("read"))), 201);
        String reader = created.json().get("key").asText();
        assertThat(server.get("/v1/project/export", reader).status()).isEqualTo(403);
        assertThat(server.post("/v1/project/import", reader, Map.of("dryRun", true, "document", Map.of()))
                .status()).isEqualTo(403);
    }
}
