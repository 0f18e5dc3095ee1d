package io.tessera.automation;

import static io.tessera.automation.AutomationFixtures.advance;
import static io.tessera.automation.AutomationFixtures.automation;
import static io.tessera.automation.AutomationFixtures.awaitRuns;
import static io.tessera.automation.AutomationFixtures.codes;
import static io.tessera.automation.AutomationFixtures.created;
import static io.tessera.automation.AutomationFixtures.ended;
import static io.tessera.automation.AutomationFixtures.event;
import static io.tessera.automation.AutomationFixtures.publish;
import static io.tessera.automation.AutomationFixtures.runs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Delayed runs survive a restart, and several server processes on one database do each run's actions once. */
class AutomationNodesTest extends ServerPerDatabase {
    private static final String T = "2031-05-01T10:00:00Z";
    private static final int CUSTOMERS = 30;

    @AfterEach
    void running() {
        if (!server.running()) server.startAgain();
    }

    private TestServer.Client comeback(String delay) {
        TestServer.Client at = api().at(T);
        codes(at, "comeback", CUSTOMERS);
        created(at.post("/v1/automations", automation("comeback", "on", "event:cart_abandoned", "delay", delay,
                "actions", publish("comeback"))));
        return at;
    }

    /** Every run DONE, each with a code of its own, and exactly one code published per run. */
    private void eachRunActedOnce(JsonNode runs) {
        assertThat(runs.findValuesAsText("status")).hasSize(CUSTOMERS).containsOnly("DONE");
        List<String> codes = runs.findValuesAsText("code");
        assertThat(new HashSet<>(codes)).hasSize(CUSTOMERS);
        assertThat(AutomationFixtures.published(server, key, "comeback")).isEqualTo(CUSTOMERS);
    }

    @Test
    void delayedRunsPendingAtARestartHappenAfterIt() {
        TestServer.Client at = comeback("P1D");
        for (int i = 0; i < CUSTOMERS; i++) event(at, "c-" + i, "cart_abandoned");
        server.stop();
        server.startAgain();
        advance(api(), "2031-05-02T10:00:00Z");
        eachRunActedOnce(awaitRuns(api(), "comeback", ended(CUSTOMERS)));
    }

    @Test
    void twoNodesAdvancingToTheSameDueRunsActOnce() {
        TestServer.Client at = comeback("PT1H");
        for (int i = 0; i < CUSTOMERS; i++) event(at, "c-" + i, "cart_abandoned");
        try (TestServer other = server.anotherNode()) {
            Map<String, Object> to = Map.of("to", "2031-05-01T11:00:00Z");
            CompletableFuture<Response> here = server.callAsync("POST", "/v1/test-clock/advance", key, to);
            CompletableFuture<Response> there = other.callAsync("POST", "/v1/test-clock/advance", key, to);
            assertThat(here.join().status()).isEqualTo(200);
            assertThat(there.join().status()).isEqualTo(200);
            eachRunActedOnce(awaitRuns(api(), "comeback", ended(CUSTOMERS)));
        }
    }

    @Test
    void twoNodesPollingForRunsDueAtOnceActOnce() {
        try (TestServer other = server.anotherNode()) {
            TestServer.Client at = comeback("PT0S");
            for (int i = 0; i < CUSTOMERS; i++) {
                // Half the triggers arrive on each node; both nodes' pollers compete for every run.
                TestServer node = i % 2 == 0 ? server : other;
                Response r = node.post("/v1/events", key, Map.of("customer", "c-" + i, "type", "cart_abandoned"));
                assertThat(r.status()).as(r.toString()).isEqualTo(202);
            }
            eachRunActedOnce(awaitRuns(at, "comeback", ended(CUSTOMERS)));
            assertThat(runs(at, "comeback").size()).isEqualTo(CUSTOMERS);
        }
    }
}
