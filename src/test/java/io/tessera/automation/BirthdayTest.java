package io.tessera.automation;

import static io.tessera.automation.AutomationFixtures.advance;
import static io.tessera.automation.AutomationFixtures.awaitRuns;
import static io.tessera.automation.AutomationFixtures.ended;
import static io.tessera.automation.AutomationFixtures.automation;
import static io.tessera.automation.AutomationFixtures.codes;
import static io.tessera.automation.AutomationFixtures.created;
import static io.tessera.automation.AutomationFixtures.publish;
import static io.tessera.automation.AutomationFixtures.runs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Keys;
import io.tessera.testing.Fixtures;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Birthdays fire at 00:00 in the project's time zone, once a year; 29 February falls on 28 February otherwise. */
class BirthdayTest extends ServerPerDatabase {

    private TestServer.Client project(String zone, String now) {
        TestServer.Client api = server.newProjectClient(Map.of("timezone", zone)).at(now);
        codes(api, "bday", 10);
        created(api.post("/v1/automations", automation("bday", "on", "birthday", "actions", publish("bday"))));
        return api;
    }

    private static void born(TestServer.Client api, String customer, String date) {
        assertThat(api.put("/v1/customers/" + customer, Map.of("attributes", Map.of("birthday", date))).status())
                .isIn(200, 201);
    }

    @Test
    void aBirthdayFiresAtMidnightInTheProjectsTimeZone() {
        TestServer.Client api = project("Europe/Berlin", "2031-03-01T00:00:00Z");
        born(api, "c-1", "1990-03-15");
        born(api, "c-2", "1985-07-01");
        advance(api, "2031-03-14T22:59:59Z");
        assertThat(runs(api, "bday").size()).isZero();
        advance(api, "2031-03-14T23:00:00Z");
        // The sweep's runs are due at once: the advance or the scheduler's poller runs them.
        JsonNode runs = awaitRuns(api, "bday", ended(1));
        assertThat(runs.size()).isEqualTo(1);
        assertThat(runs.at("/0/customer").asText()).isEqualTo("c-1");
        assertThat(runs.at("/0/dueAt").asText()).isEqualTo("2031-03-14T23:00:00Z");
        assertThat(runs.at("/0/status").asText()).isEqualTo("DONE");
    }

    @Test
    void aBirthdayFiresOnceAYear() {
        TestServer.Client api = project("UTC", "2031-03-01T00:00:00Z");
        born(api, "c-1", "1990-03-15");
        advance(api, "2031-03-20T00:00:00Z");
        born(api, "c-1", "1990-03-15"); // unchanged; and a sweep run again would find the year's run
        advance(api, "2031-12-31T00:00:00Z");
        assertThat(runs(api, "bday").size()).isEqualTo(1);
        advance(api, "2032-03-15T00:00:00Z");
        assertThat(awaitRuns(api, "bday", ended(2)).findValuesAsText("dueAt")).containsExactly("2032-03-15T00:00:00Z",
                "2031-03-15T00:00:00Z");
    }

    @Test
    void the29thOfFebruaryIsCelebratedOnThe28thInYearsWithoutIt() {
        TestServer.Client api = project("UTC", "2031-02-01T00:00:00Z");
        born(api, "leap", "2000-02-29");
        born(api, "eve", "1999-02-28");
        advance(api, "2031-02-28T00:00:00Z");
        JsonNode runs = runs(api, "bday");
        assertThat(runs.findValuesAsText("customer")).containsExactlyInAnyOrder("leap", "eve");
        assertThat(runs.findValuesAsText("dueAt")).containsOnly("2031-02-28T00:00:00Z");
        advance(api, "2031-03-02T00:00:00Z");
        assertThat(runs(api, "bday").size()).as("not again on 1 March").isEqualTo(2);
    }

    @Test
    void inALeapYearThe29thIsItsOwnDay() {
        TestServer.Client api = project("UTC", "2032-02-01T00:00:00Z");
        born(api, "leap", "2000-02-29");
        advance(api, "2032-02-28T00:00:00Z");
        assertThat(runs(api, "bday").size()).isZero();
        advance(api, "2032-02-29T00:00:00Z");
        assertThat(runs(api, "bday").findValuesAsText("customer")).containsExactly("leap");
    }

    @Test
    void aChangedBirthdayIsTheOneThatCounts() {
        TestServer.Client api = project("UTC", "2031-03-01T00:00:00Z");
        born(api, "c-1", "1990-03-15");
        born(api, "c-1", "1990-04-02");
        advance(api, "2031-03-31T00:00:00Z");
        assertThat(runs(api, "bday").size()).isZero();
        advance(api, "2031-04-02T00:00:00Z");
        assertThat(awaitRuns(api, "bday", ended(1)).at("/0/status").asText()).isEqualTo("DONE");
    }

    @Test
    void birthdaysStoredBeforeTheyWereIndexedAreFoundOnceABirthdayAutomationExists() {
        TestServer.Client api = server.newProjectClient(Map.of("timezone", "UTC")).at("2031-03-01T00:00:00Z");
        codes(api, "bday", 10);
        born(api, "old", "1990-03-15");
        // As a customer stored before the birthday index existed.
        Fixtures.execute(server, "update customers set birthday_md = null where id = 'old' and project_id = "
                + "(select project_id from api_keys where key_hash = ?)", Keys.hash(api.key()));
        created(api.post("/v1/automations", automation("bday", "on", "birthday", "actions", publish("bday"))));
        advance(api, "2031-03-15T00:00:00Z");
        assertThat(awaitRuns(api, "bday", ended(1)).at("/0/customer").asText()).isEqualTo("old");
    }
}
