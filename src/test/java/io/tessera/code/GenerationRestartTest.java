package io.tessera.code;

import static io.tessera.testing.Fixtures.assertJobMadeExactly;
import static io.tessera.testing.Fixtures.awaitJob;
import static io.tessera.testing.Fixtures.awaitProgress;
import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.count;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.execute;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.db.Database;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** A generation job survives its server: resumed at the next start with exactly its total made. */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"h2", "postgres"})
class GenerationRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    @Parameter
    String database;
    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void aJobLeftRunningByADeadNodeIsResumedAtTheNextStart() {
        server = TestServer.start(database);
        String key = server.newProject();
        create(server, key, uniqueCampaign("crash", "CR-########", 0));
        String job = server.post("/v1/campaigns/crash/codes", key, Map.of("count", 1000)).json().get("job").asText();
        server.stop();
        // As if the node had died after 1,000 of 3,000 codes: RUNNING, its lease held by a node that stopped renewing.
        execute(server, "update jobs set status = 'RUNNING', total = 3000, finished_at = null, lease_owner = 'lease_dead', "
                + "lease_until = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(60)), job);

        server.startAgain();
        assertJobMadeExactly(server, key, job, TIMEOUT, "crash", 3000);
    }

    @Test
    void aJobInterruptedByShutdownFinishesAfterRestartWithExactlyItsTotal() {
        server = TestServer.start(database);
        String key = server.newProject();
        create(server, key, uniqueCampaign("stop", "ST-##########", 0));
        Response started = server.post("/v1/campaigns/stop/codes", key, Map.of("count", 300_000));
        assertThat(started.status()).isEqualTo(202);
        String job = started.json().get("job").asText();
        awaitProgress(server, key, job, TIMEOUT);
        server.stop(); // mid-way (unless it already finished): the chunk in progress completes, the lease is released

        server.startAgain();
        JsonNode done = awaitJob(server, key, job, TIMEOUT);
        assertThat(done.get("status").asText()).isEqualTo("DONE");
        assertThat(done.get("done").asLong()).isEqualTo(300_000);
        assertThat(count(server, "select count(*) from codes where campaign_id = ?", campaignId(server, key, "stop")))
                .isEqualTo(300_000);
    }

    @Test
    void aLeaseIsHeldByOneClaimAtATime() {
        server = TestServer.start(database);
        String key = server.newProject();
        create(server, key, uniqueCampaign("lease", "LE-########", 0));
        String job = server.post("/v1/campaigns/lease/codes", key, Map.of("count", 10)).json().get("job").asText();
        execute(server, "update jobs set status = 'RUNNING', lease_owner = null, lease_until = null where id = ?", job);
        JobStore jobs = new JobStore(server.app().database());
        Instant now = Instant.now();
        // The running server's sweep may take it first; then neither claim below can.
        boolean first = jobs.claim(job, "lease_a", now, now.plusSeconds(30));
        boolean second = jobs.claim(job, "lease_b", now, now.plusSeconds(30));
        assertThat(second).isFalse();
        Database db = server.app().database();
        assertThat((boolean) db.transaction(tx -> jobs.progress(tx, job, "lease_b", 1, now.plusSeconds(30)))).isFalse();
        assertThat(jobs.renew(job, "lease_b", now.plusSeconds(30))).isFalse();
        if (first) {
            assertThat((boolean) db.transaction(tx -> jobs.progress(tx, job, "lease_a", 0, now.plusSeconds(30)))).isTrue();
            // Expired: another claim may take it, and from then on the first holder can record nothing.
            assertThat(jobs.claim(job, "lease_c", now.plusSeconds(31), now.plusSeconds(61))).isTrue();
            assertThat((boolean) db.transaction(tx -> jobs.progress(tx, job, "lease_a", 1, now.plusSeconds(30)))).isFalse();
            assertThat(jobs.finish(job, "lease_a", now)).isFalse();
            assertThat(jobs.finish(job, "lease_c", now)).isTrue();
        }
    }
}
