package io.tessera.qualification;

import static io.tessera.testing.Fixtures.create;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Near misses and storefront texts (scenario 44): a tiered 10 % from 10000 / 15 % from 20000 with German and English
 * titles, 500 off from 5000, and 700 off for the vip segment (which no amount of spending unlocks).
 */
class NearMissAndDisplayTest extends ServerPerDatabase {

    private static Map<String, Object> order(long price) {
        return Map.of("currency", "USD", "items", List.of(Map.of("sku", "A", "product", "a",
                "categories", List.of(), "price", price, "quantity", 1)));
    }

    /** English first, then German: "the first" is the order the texts were sent in. */
    private static Map<String, Object> texts(String english, String german) {
        Map<String, Object> display = new java.util.LinkedHashMap<>();
        display.put("en", Map.of("title", english));
        display.put("de", Map.of("title", german));
        return display;
    }

    @BeforeEach
    void campaigns() {
        create(server, key, Map.of("name", "tiers", "type", "AUTO", "active", true,
                "discount", Map.of("type", "TIERED", "basis", "AMOUNT", "tiers", List.of(
                        Map.of("min", 10000, "percent", 10), Map.of("min", 20000, "percent", 15))),
                "display", texts("10% from 100", "10 % ab 100")));
        create(server, key, Map.of("name", "five-off", "type", "AUTO", "active", true,
                "discount", Map.of("type", "AMOUNT", "amount", 500), "condition", "order.subtotal >= 5000"));
        create(server, key, Map.of("name", "vip", "type", "AUTO", "active", true,
                "discount", Map.of("type", "AMOUNT", "amount", 700), "condition", "'vip' in customer.segments"));
    }

    private JsonNode qualify(Map<String, Object> request) {
        Response r = server.post("/v1/qualifications", key, request);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void theMissingAmountIsExactToTheMinorUnitWithWhatItWouldGive() {
        JsonNode almost = qualify(Map.of("customer", "c-1", "order", order(4000), "nearMiss", true)).get("almost");
        assertThat(almost.findValuesAsText("campaign")).containsExactly("five-off", "tiers");
        assertThat(almost.get(0).get("missing").asLong()).isEqualTo(1000);
        assertThat(almost.get(0).get("discount").asLong()).isEqualTo(500);
        assertThat(almost.get(1).get("missing").asLong()).isEqualTo(6000);
        assertThat(almost.get(1).get("discount").asLong()).isEqualTo(1000);
    }

    /**
     * The search tries the numbers a condition is written with first; whether they are the threshold or not, the
     * amount is the smallest that unlocks. Cart 4,000.
     */
    @Test
    void theMissingAmountIsExactWhateverNumbersTheConditionIsWrittenWith() {
        Map<String, String> conditions = new java.util.LinkedHashMap<>();
        conditions.put("above", "order.subtotal > 7000");                        // 3,001: one above the number
        conditions.put("decimal", "order.subtotal >= 6999.5");                   // 3,000
        conditions.put("doubled", "order.subtotal * 2 >= 17000");                // 4,500: no number is the threshold
        conditions.put("line-price", "order.items.exists(i, i.price >= 6000)");  // 6,000: the added line's own price
        conditions.put("two-terms", "size(order.items) >= 2 && order.subtotal >= 9001"); // 5,001
        conditions.forEach((name, condition) -> create(server, key, Map.of("name", name, "type", "AUTO",
                "active", true, "discount", Map.of("type", "AMOUNT", "amount", 100), "condition", condition)));
        Map<String, Long> missing = new java.util.HashMap<>();
        for (JsonNode m : qualify(Map.of("customer", "c-1", "order", order(4000), "nearMiss", true)).get("almost")) {
            missing.put(m.get("campaign").asText(), m.get("missing").asLong());
        }
        assertThat(missing).containsEntry("above", 3001L).containsEntry("decimal", 3000L)
                .containsEntry("doubled", 4500L).containsEntry("line-price", 6000L).containsEntry("two-terms", 5001L);
    }

    @Test
    void aTieredPromotionBelowItsTopTierNamesTheNextTier() {
        JsonNode answer = qualify(Map.of("order", order(15000), "nearMiss", true));
        assertThat(answer.at("/data/0/campaign").asText()).isEqualTo("tiers");
        assertThat(answer.at("/data/0/discount").asLong()).isEqualTo(1500);
        assertThat(answer.get("almost")).hasSize(1);
        assertThat(answer.at("/almost/0/missing").asLong()).isEqualTo(5000);
        assertThat(answer.at("/almost/0/discount").asLong()).isEqualTo(3000);
    }

    @Test
    void atTheTopTierNothingIsMissing() {
        JsonNode answer = qualify(Map.of("order", order(25000), "nearMiss", true));
        assertThat(answer.get("almost")).isEmpty();
    }

    @Test
    void nearMissesAreListedOnlyWhenAskedFor() {
        assertThat(qualify(Map.of("order", order(4000))).has("almost")).isFalse();
    }

    @Test
    void anAnonymousVisitorWithOnlyAContextSeesWhatAnEmptyCartWouldUnlock() {
        JsonNode answer = qualify(Map.of("context", Map.of("page", "category/arabica"), "nearMiss", true));
        assertThat(answer.get("data")).isEmpty();
        assertThat(answer.get("almost").findValuesAsText("campaign")).containsExactly("five-off", "tiers");
        assertThat(answer.at("/almost/0/missing").asLong()).isEqualTo(5000);
        assertThat(answer.at("/almost/1/missing").asLong()).isEqualTo(10000);
    }

    @Test
    void textsComeInTheRequestedLocaleThenTheProjectsThenTheFirst() {
        Map<String, Object> big = order(15000);
        assertThat(qualify(Map.of("order", big, "locale", "de")).at("/data/0/display/title").asText())
                .isEqualTo("10 % ab 100");
        assertThat(qualify(Map.of("order", big, "locale", "de-AT")).at("/data/0/display/title").asText())
                .isEqualTo("10 % ab 100");
        assertThat(qualify(Map.of("order", big, "locale", "fr")).at("/data/0/display/title").asText())
                .isEqualTo("10% from 100");
        assertThat(server.patch("/v1/project", key, Map.of("locale", "de")).status()).isEqualTo(200);
        assertThat(qualify(Map.of("order", big, "locale", "fr")).at("/data/0/display/title").asText())
                .isEqualTo("10 % ab 100");
        assertThat(qualify(Map.of("order", big)).at("/data/1/display").isNull()).isTrue();
    }

    @Test
    void badDisplayTextsAreRefusedNamingTheField() {
        Response r = server.post("/v1/campaigns", key, Map.of("name", "bad", "type", "AUTO",
                "discount", Map.of("type", "AMOUNT", "amount", 100),
                "display", Map.of("english!", Map.of("title", "x"), "de", Map.of("title", 5))));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("display.english!").contains("display.de.title");
        assertThat(server.get("/v1/campaigns/bad", key).status()).isEqualTo(404);
    }

    @Test
    void theWalletShowsEachCodesCampaignTexts() {
        create(server, key, Map.of("name", "personal", "type", "CODES", "active", true,
                "codes", Map.of("mode", "UNIQUE", "pattern", "P-#####", "count", 2),
                "discount", Map.of("type", "AMOUNT", "amount", 300),
                "display", texts("3 off", "3 Rabatt")));
        assertThat(server.post("/v1/campaigns/personal/publications", key, Map.of("customer", "c-1")).status())
                .isEqualTo(201);
        assertThat(server.get("/v1/customers/c-1/wallet?locale=de", key).json().at("/codes/0/display/title").asText())
                .isEqualTo("3 Rabatt");
        assertThat(server.get("/v1/customers/c-1/wallet", key).json().at("/codes/0/display/title").asText())
                .isEqualTo("3 off");
    }

    @Test
    void theProjectsLocaleIsShownAndCanBeRemoved() {
        assertThat(server.patch("/v1/project", key, Map.of("locale", "de")).json().get("locale").asText())
                .isEqualTo("de");
        java.util.Map<String, Object> clear = new java.util.HashMap<>();
        clear.put("locale", null);
        assertThat(server.patch("/v1/project", key, clear).json().get("locale").isNull()).isTrue();
        assertThat(server.patch("/v1/project", key, Map.of("locale", "x")).status()).isEqualTo(422);
    }

    @Test
    void badLocaleIsRefused() {
        Response r = server.post("/v1/qualifications", key, Map.of("order", order(100), "locale", "not a locale"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body()).contains("locale");
    }
}
