package io.tessera.loyalty;

import static io.tessera.loyalty.LoyaltyFixtures.codes;
import static io.tessera.loyalty.LoyaltyFixtures.reward;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rewards catalogue of a program: create, read, list, patch, archive, audited; bad input named field by field. */
class RewardCatalogueTest extends ServerPerDatabase {

    @BeforeEach
    void program() {
        LoyaltyFixtures.create(api(), LoyaltyFixtures.stars(Map.of()));
        codes(api(), "five-off-codes", 3);
    }

    @Test
    void aCreatedRewardReadsBackWithItsGrantAndStock() {
        Response r = api().post("/v1/loyalty/stars/rewards", Map.of("name", "five-off", "cost", 500,
                "grant", Map.of("campaign", "five-off-codes"), "stock", 2));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode read = api().get("/v1/loyalty/stars/rewards/five-off").json();
        assertThat(read.get("program").asText()).isEqualTo("stars");
        assertThat(read.get("cost").asLong()).isEqualTo(500);
        assertThat(read.at("/grant/campaign").asText()).isEqualTo("five-off-codes");
        assertThat(read.get("stock").asLong()).isEqualTo(2);
        assertThat(read.get("archived").asBoolean()).isFalse();
    }

    @Test
    void theListPagesInNameOrder() {
        for (String n : List.of("c", "a", "b")) assertThat(reward(api(), n, 10, "five-off-codes").status()).isEqualTo(201);
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api().get("/v1/loyalty/stars/rewards?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .json();
            page.get("data").forEach(r -> names.add(r.get("name").asText()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(names).containsExactly("a", "b", "c");
    }

    @Test
    void aRewardNameIsUniqueWithinItsProgram() {
        reward(api(), "five-off", 500, "five-off-codes");
        Response again = reward(api(), "five-off", 400, "five-off-codes");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("code").asText()).isEqualTo("name_taken");
    }

    @Test
    void everyBadFieldIsNamedInOne422() {
        Response r = api().post("/v1/loyalty/stars/rewards", Map.of("name", "-bad", "cost", 0,
                "grant", Map.of("campaign", "nope"), "stock", -1));
        assertThat(r.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        r.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("name", "cost", "grant.campaign", "stock");
    }

    @Test
    void aGrantNeedsACampaignWithUniqueCodes() {
        api().post("/v1/campaigns", io.tessera.testing.Bodies.universal("open", "OPEN10",
                io.tessera.testing.Bodies.amount(100), Map.of()));
        Response r = reward(api(), "open-reward", 100, "open");
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("grant.campaign");
        assertThat(r.json().at("/errors/0/message").asText()).contains("UNIQUE");
    }

    @Test
    void anUnknownProgramIs404() {
        Response r = api().post("/v1/loyalty/nope/rewards", Map.of("name", "x", "cost", 1,
                "grant", Map.of("campaign", "five-off-codes")));
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void aPatchMergesIntoTheRewardAndIsAuditedWithBeforeAndAfter() {
        reward(api(), "five-off", 500, "five-off-codes");
        Response r = api().patch("/v1/loyalty/stars/rewards/five-off", Map.of("cost", 450));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("cost").asLong()).isEqualTo(450);
        assertThat(r.json().at("/grant/campaign").asText()).isEqualTo("five-off-codes");
        JsonNode entry = api().get("/v1/audit?resource=loyalty-reward/stars/five-off").json().at("/data/0");
        assertThat(entry.get("action").asText()).isEqualTo("loyalty-reward.updated");
        assertThat(entry.at("/before/cost").asLong()).isEqualTo(500);
        assertThat(entry.at("/after/cost").asLong()).isEqualTo(450);
    }

    @Test
    void theNameCannotBePatched() {
        reward(api(), "five-off", 500, "five-off-codes");
        Response r = api().patch("/v1/loyalty/stars/rewards/five-off", Map.of("name", "ten-off"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("name");
    }

    @Test
    void anArchivedRewardLeavesTheListAndCannotBeClaimed() {
        reward(api(), "five-off", 10, "five-off-codes");
        LoyaltyFixtures.adjust(api(), "c-1", 100);
        Response d = api().delete("/v1/loyalty/stars/rewards/five-off");
        assertThat(d.json().get("archived").asBoolean()).isTrue();
        assertThat(api().get("/v1/loyalty/stars/rewards").json().get("data").size()).isZero();
        Response claim = LoyaltyFixtures.claim(api(), "c-1", "five-off");
        assertThat(claim.status()).isEqualTo(422);
        assertThat(claim.json().get("code").asText()).isEqualTo("reward_archived");
        assertThat(api().get("/v1/audit?action=loyalty-reward.archived").json().get("data").size()).isEqualTo(1);
    }
}
