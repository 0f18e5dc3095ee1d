package io.tessera.campaign;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A change made through one node is seen by another node sharing the database. */
class CampaignAcrossNodesTest extends ServerPerDatabase {

    private long discountOn(TestServer node) {
        return node.post("/v1/validations", key, checkout("c-1", List.of("XNODE"), 1000)).json().at("/order/discount").asLong();
    }

    @Test
    void aNodeThatNeverServedTheProjectAppliesItsNewCampaignAtOnce() {
        try (TestServer other = server.anotherNode()) {
            api().post("/v1/campaigns", universal("x", "XNODE", amount(100), Map.of()));
            assertThat(other.post("/v1/validations", key, checkout("c-1", List.of("XNODE"), 1000)).json().get("valid").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void anotherNodeSeesAPatchWithinTheRefreshInterval() {
        try (TestServer other = server.anotherNode()) {
            api().post("/v1/campaigns", universal("x", "XNODE", amount(100), Map.of()));
            assertThat(discountOn(other)).isEqualTo(100);
            api().patch("/v1/campaigns/x", Map.of("discount", Map.of("amount", 300)));
            // The nodes refresh every 200 ms in tests; ten seconds is far beyond that.
            await("the other node sees the patch").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> discountOn(other), seen -> seen == 300);
        }
    }
}
