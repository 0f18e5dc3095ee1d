package io.tessera.code;

import static io.tessera.testing.Fixtures.assertJobMadeExactly;
import static io.tessera.testing.Fixtures.awaitProgress;
import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.count;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.execute;
import static io.tessera.testing.Fixtures.strings;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A generation job survives its server: resumed by the next start with exactly its total made. The class's server is
 * stopped and started again (no other node runs on the database meanwhile, so nothing else could pick the job up).
 */
class GenerationRestartTest extends ServerPerDatabase {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** A test that failed while the server was stopped must not leave the next one without it. */
    @AfterEach
    void runningAgain() {
        if (!server.running()) server.startAgain();
    }

    @Test
    void aJobStoppedMidWayByAShutdownIsResumedByTheNextStartAndMakesExactlyItsTotal() {
        create(server, key, uniqueCampaign("stop", "ST-##########", 0));
        // Several chunks (H2 10,000 codes, PostgreSQL 100,000), so that the stop falls between two of them.
        long total = database.equals(TestDatabases.H2) ? 150_000 : 600_000;
        Response started = server.post("/v1/campaigns/stop/codes", key, Map.of("count", total));
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        String job = started.json().at("/job").asText();
        String campaign = campaignId(server, key, "stop");
        awaitProgress(server, key, job, TIMEOUT);
        server.stop(); // the chunk in progress completes, then the task's lease is given back

        // What the next start finds: a job stopped mid-way, its codes so far, and no node holding it.
        long doneAtStop = count(server, "select done from jobs where id = ?", job);
        assertThat(doneAtStop).as("stopped mid-way").isPositive().isLessThan(total);
        assertThat(count(server, "select count(*) from codes where campaign_id = ?", campaign)).as("codes at the stop")
                .isEqualTo(doneAtStop);
        assertThat(strings(server, "select status from jobs where id = ?", job)).containsExactly("RUNNING");
        assertThat(strings(server, "select lease_owner from tasks where task_key = ?", job)).as("lease given back")
                .containsOnlyNulls();

        server.startAgain();
        assertJobMadeExactly(server, key, job, TIMEOUT, "stop", total);
    }

    @Test
    void aJobLeftByADeadNodeIsResumedOnceItsLeaseRunsOut() {
        create(server, key, uniqueCampaign("crash", "CR-########", 0));
        String job = server.post("/v1/campaigns/crash/codes", key, Map.of("count", 1000)).json().at("/job").asText();
        assertJobMadeExactly(server, key, job, TIMEOUT, "crash", 1000);
        server.stop();
        // As if a node had died after 1,000 of 3,000 codes: the job RUNNING, its task leased to a node that is gone.
        execute(server, "update jobs set status = 'RUNNING', total = 3000, finished_at = null where id = ?", job);
        execute(server, "update tasks set status = 'PENDING', finished_at = null, lease_owner = 'lease_dead', "
                + "lease_until = ? where task_key = ?", Timestamp.from(Instant.now().minusSeconds(1)), job);

        server.startAgain();
        assertJobMadeExactly(server, key, job, TIMEOUT, "crash", 3000);
    }
}
