package io.tessera.project;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Another project sees nothing of this one, not even by name. */
class ProjectIsolationTest extends ServerPerDatabase {
    private TestServer.Client other;

    @BeforeEach
    void campaignMineAndAnotherProject() {
        api().post("/v1/campaigns", universal("mine", "MINE", amount(100), Map.of()));
        other = server.client(server.newProject());
    }

    @Test
    void anotherProjectCannotReadACampaignByName() {
        assertThat(other.get("/v1/campaigns/mine").status()).isEqualTo(404);
    }

    @Test
    void anotherProjectListsNoneOfThisProjectsCampaigns() {
        assertThat(other.get("/v1/campaigns").json().get("data").isEmpty()).isTrue();
    }

    @Test
    void aCodeOfThisProjectIsUnknownInAnother() {
        var v = other.post("/v1/validations", checkout("c-1", List.of("MINE"), 1000)).json();
        assertThat(v.at("/rejected/0/reason").asText()).isEqualTo("code_not_found");
    }

    @Test
    void theSameCampaignNameAndCodeAreFreeInAnotherProject() {
        assertThat(other.post("/v1/campaigns", universal("mine", "MINE", amount(100), Map.of())).status()).isEqualTo(201);
    }
}
