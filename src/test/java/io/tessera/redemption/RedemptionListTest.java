package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.ServerPerDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/redemptions} filters by campaign, code and customer and pages newest first. */
class RedemptionListTest extends ServerPerDatabase {
    private String both;
    private String onlyB;

    @BeforeEach
    void twoRedemptions() {
        api().post("/v1/campaigns", universal("a", "AAA", amount(100), Map.of()));
        api().post("/v1/campaigns", universal("b", "BBB", amount(50), Map.of()));
        both = api().post("/v1/redemptions", checkout("c-1", List.of("AAA", "BBB"), 1000)).json().get("id").asText();
        onlyB = api().post("/v1/redemptions", checkout("c-2", List.of("BBB"), 1000)).json().get("id").asText();
    }

    private List<String> ids(String query) {
        return api().get("/v1/redemptions" + query).json().get("data").findValuesAsText("id");
    }

    @Test
    void redemptionsAreListedNewestFirst() {
        assertThat(ids("")).containsExactly(onlyB, both);
    }

    @Test
    void redemptionsFilterByCampaign() {
        assertThat(ids("?campaign=a")).containsExactly(both);
    }

    @Test
    void redemptionsFilterByCodeIgnoringItsCase() {
        assertThat(ids("?code=bbb")).containsExactly(onlyB, both);
    }

    @Test
    void redemptionsFilterByCustomer() {
        JsonNode data = api().get("/v1/redemptions?customer=c-2").json().get("data");
        assertThat(data.findValuesAsText("id")).containsExactly(onlyB);
        assertThat(data.at("/0/customer").asText()).isEqualTo("c-2");
    }

    @Test
    void theNextPageStartsAfterTheCursor() {
        JsonNode first = api().get("/v1/redemptions?limit=1").json();
        assertThat(first.get("data").findValuesAsText("id")).containsExactly(onlyB);
        assertThat(ids("?limit=1&cursor=" + first.get("nextCursor").asText())).containsExactly(both);
    }
}
