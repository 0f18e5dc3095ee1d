package io.tessera.message;

import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageRenderTest extends ServerPerDatabase {
    private static final String CODE = "LOYAL-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{5}";

    private void customer(String id, Map<String, Object> attributes, Map<String, Object> consents) {
        Response r = api().put("/v1/customers/" + id, Map.of("attributes", attributes, "consents", consents));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    private Response render(Map<String, Object> body) {
        return api().post("/v1/messages/render", body);
    }

    /** What the campaign has handed out: its codes held by customers, and its publications. */
    private List<String> handedOut(String campaign) {
        String id = campaignId(server, key, campaign);
        List<String> out = new java.util.ArrayList<>(Fixtures.strings(server,
                "select code || ':' || customer_id from codes where campaign_id = ? and customer_id is not null", id));
        out.addAll(Fixtures.strings(server, "select id from publications where campaign_id = ?", id));
        return out;
    }

    private static void assertRefused(Response r, String field, String placeholder) {
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.header("Content-Type")).startsWith("application/problem+json");
        JsonNode error = r.json().get("errors").get(0);
        assertThat(error.get("field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains(placeholder);
    }

    @Test
    void fillsTheCustomersValuesAndPublishesTheirCode() {
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 5));
        create(server, key, universalCampaign("all", "WELCOME10"));
        customer("c-1", Map.of("firstName", "Ana", "address", Map.of("city", "Porto"), "score", 4.50),
                Map.of("email", true));
        Response r = render(Map.of("customer", "c-1", "channel", "email",
                "subject", "{{customer.attributes.firstName}}, a gift",
                "template", "Hi {{ customer.attributes.firstName }} from {{customer.attributes.address.city}} "
                        + "({{customer.id}}, {{customer.attributes.score}}, {{customer.orders.count}} orders): "
                        + "{{campaigns.loyal.code}} or {{campaigns.all.code}}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("subject").asText()).isEqualTo("Ana, a gift");
        String text = r.json().get("text").asText();
        assertThat(text).matches("Hi Ana from Porto \\(c-1, 4.5, 0 orders\\): " + CODE + " or WELCOME10");
        String code = text.substring(text.indexOf("LOYAL-"), text.indexOf("LOYAL-") + 11);
        assertThat(server.get("/v1/codes/" + code, key).json().get("customer").asText()).isEqualTo("c-1");
        assertThat(handedOut("loyal")).hasSize(2); // one code held, one publication
    }

    @Test
    void aSecondRenderHandsBackTheSameCode() {
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 5));
        customer("c-1", Map.of("firstName", "Ana"), Map.of());
        Map<String, Object> body = Map.of("customer", "c-1", "template", "{{campaigns.loyal.code}}");
        String first = render(body).json().get("text").asText();
        List<String> afterFirst = handedOut("loyal");
        Response second = render(body);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().has("subject")).isFalse();
        assertThat(second.json().get("text").asText()).matches(CODE).isEqualTo(first);
        assertThat(handedOut("loyal")).isEqualTo(afterFirst);
    }

    @Test
    void anUnknownPlaceholderIsRefusedAndPublishesNothing() {
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 5));
        customer("c-1", Map.of("firstName", "Ana"), Map.of());
        Response r = render(Map.of("customer", "c-1", "template", "{{campaigns.loyal.code}} {{customer.name}}"));
        assertRefused(r, "template", "{{customer.name}}");
        assertThat(r.json().get("errors").get(0).get("message").asText()).contains("not a known placeholder");
        assertThat(handedOut("loyal")).isEmpty();
    }

    @Test
    void aPlaceholderWithoutAValueForTheCustomerIsRefusedAndPublishesNothing() {
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 5));
        customer("c-1", Map.of("firstName", "Ana", "nickname", " "), Map.of());
        Response missing = render(Map.of("customer", "c-1",
                "template", "Your code {{campaigns.loyal.code}}, {{customer.attributes.nickname}}",
                "subject", "Hi {{customer.attributes.lastName}}"));
        assertThat(missing.status()).as(missing.toString()).isEqualTo(422);
        assertThat(missing.json().get("errors").findValuesAsText("message")).containsExactlyInAnyOrder(
                "{{customer.attributes.nickname}} has no value for customer c-1",
                "{{customer.attributes.lastName}} has no value for customer c-1");
        assertThat(missing.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("template",
                "subject");
        assertThat(handedOut("loyal")).isEmpty();
    }

    @Test
    void aCampaignThatCannotHandOutCodesIsRefusedByName() {
        customer("c-1", Map.of("firstName", "Ana"), Map.of());
        assertRefused(render(Map.of("customer", "c-1", "template", "{{campaigns.nope.code}}")), "template",
                "{{campaigns.nope.code}}");
    }

    @Test
    void aCustomerWithoutConsentForTheChannelIsRefusedAndNothingIsPublished() {
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 5));
        customer("c-1", Map.of("firstName", "Ana"), Map.of("email", true, "sms", false));
        Response r = render(Map.of("customer", "c-1", "channel", "sms", "template", "{{campaigns.loyal.code}}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("no_consent");
        assertThat(r.json().get("channel").asText()).isEqualTo("sms");
        assertThat(render(Map.of("customer", "c-1", "channel", "push", "template", "{{campaigns.loyal.code}}"))
                .json().get("code").asText()).isEqualTo("no_consent");
        assertThat(handedOut("loyal")).isEmpty();
    }

    @Test
    void anUnknownCustomerIsNotFoundAndNotCreated() {
        create(server, key, uniqueCampaign("loyal", "LOYAL-#####", 5));
        Response r = render(Map.of("customer", "nobody", "template", "{{campaigns.loyal.code}}"));
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(api().get("/v1/customers/nobody").status()).isEqualTo(404);
        assertThat(handedOut("loyal")).isEmpty();
    }

    @Test
    void loyaltyBalanceAndTierOfAMemberRender() {
        Response program = api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of(
                "earning", List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")),
                "tiers", List.of(Map.of("name", "Bronze", "min", 0), Map.of("name", "Silver", "min", 100)))));
        assertThat(program.status()).as(program.toString()).isEqualTo(201);
        customer("c-1", Map.of("firstName", "Ana"), Map.of());
        Response adjusted = api().post("/v1/loyalty/stars/members/c-1/transactions",
                Map.of("points", 120, "reason", "welcome"));
        assertThat(adjusted.status()).as(adjusted.toString()).isIn(200, 201);
        Response r = render(Map.of("customer", "c-1",
                "template", "{{customer.loyalty.stars.balance}} stars"));
        assertThat(r.json().get("text").asText()).as(r.toString()).isEqualTo("120 stars");
        customer("c-2", Map.of("firstName", "Bo"), Map.of());
        assertRefused(render(Map.of("customer", "c-2", "template", "{{customer.loyalty.stars.balance}}")),
                "template", "has no value for customer c-2");
    }

    @Test
    void badRequestsNameTheirFields() {
        Response r = render(Map.of("customer", "has space", "channel", "E-mail", "subject", 3, "extra", 1));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("customer", "template", "channel", "subject", "extra");
        customer("c-1", Map.of("firstName", "Ana"), Map.of());
        assertRefused(render(Map.of("customer", "c-1", "template", "Hi {{customer.id")), "template", "unclosed");
    }

    @Test
    void renderingNeedsAKeyThatMayPublishCodes() {
        customer("c-1", Map.of("firstName", "Ana"), Map.of());
        Response key = api().post("/v1/api-keys", Map.of("name", "reader", "scopes", List.of("read")));
        assertThat(key.status()).as(key.toString()).isEqualTo(201);
        Response r = server.client(key.json().get("key").asText()).post("/v1/messages/render",
                Map.of("customer", "c-1", "template", "Hi"));
        assertThat(r.status()).isEqualTo(403);
    }
}
