package io.tessera.campaign;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reading one campaign and listing them page by page. */
class CampaignListTest extends ServerPerDatabase {

    @BeforeEach
    void fiveCampaigns() {
        for (int i = 0; i < 5; i++) {
            assertThat(api().post("/v1/campaigns", universal("c" + i, "CODE" + i, amount(100 + i), Map.of())).status())
                    .isEqualTo(201);
        }
    }

    private List<String> names(String query) {
        return api().get("/v1/campaigns" + query).json().get("data").findValuesAsText("name");
    }

    @Test
    void aCampaignReadsBackAsCreated() {
        JsonNode got = api().get("/v1/campaigns/c2").json();
        assertThat(got.at("/codes/code").asText()).isEqualTo("CODE2");
        assertThat(got.at("/discount/amount").asLong()).isEqualTo(102);
    }

    @Test
    void aFieldLeftUnsetReadsAsNull() {
        JsonNode got = api().get("/v1/campaigns/c2").json();
        assertThat(got.has("endsAt")).isTrue();
        assertThat(got.get("endsAt").isNull()).isTrue();
    }

    @Test
    void anUnknownCampaignIsNotFound() {
        assertThat(api().get("/v1/campaigns/nope").status()).isEqualTo(404);
    }

    @Test
    void pagesWalkEveryCampaignInCreationOrder() {
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api().get("/v1/campaigns?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.get("data").size()).isLessThanOrEqualTo(2);
            names.addAll(page.get("data").findValuesAsText("name"));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        assertThat(names).containsExactly("c0", "c1", "c2", "c3", "c4");
    }

    @Test
    void archivedCampaignsAreLeftOutOfTheList() {
        api().delete("/v1/campaigns/c4");
        assertThat(names("")).containsExactly("c0", "c1", "c2", "c3");
    }

    @Test
    void archivedCampaignsAreListedOnRequest() {
        api().delete("/v1/campaigns/c4");
        assertThat(names("?archived=all")).containsExactly("c0", "c1", "c2", "c3", "c4");
    }
}
