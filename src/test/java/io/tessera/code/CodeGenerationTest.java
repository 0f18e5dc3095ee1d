package io.tessera.code;

import io.tessera.testing.ServerPerDatabase;
import static io.tessera.testing.Fixtures.assertJobMadeExactly;
import static io.tessera.testing.Fixtures.awaitJob;
import static io.tessera.testing.Fixtures.campaignId;
import static io.tessera.testing.Fixtures.codes;
import static io.tessera.testing.Fixtures.count;
import static io.tessera.testing.Fixtures.create;
import static io.tessera.testing.Fixtures.strings;
import static io.tessera.testing.Fixtures.uniqueCampaign;
import static io.tessera.testing.Fixtures.universalCampaign;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.testing.Response;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CodeGenerationTest extends ServerPerDatabase {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @Test
    void smallCountFinishesInline() {
        create(server, key, uniqueCampaign("small", "S-######", 0));
        Response r = server.post("/v1/campaigns/small/codes", key, Map.of("count", 500));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String job = r.json().get("job").asText();
        assertThat(job).startsWith("job_");
        JsonNode read = server.get("/v1/jobs/" + job, key).json();
        assertThat(read.get("status").asText()).isEqualTo("DONE");
        assertThat(read.get("done").asLong()).isEqualTo(500);
        assertThat(read.get("total").asLong()).isEqualTo(500);
        assertThat(read.get("error").isNull()).isTrue();
        assertThat(read.get("finishedAt").isNull()).isFalse();
        List<String> made = codes(server, campaignId(server, key, "small"));
        assertThat(made).hasSize(500).doesNotHaveDuplicates()
                .allSatisfy(c -> assertThat(c).matches("S-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}"));
        assertThat(server.get("/v1/campaigns/small/stats", key).json().at("/codes/total").asLong()).isEqualTo(500);
    }

    @Test
    void aCampaignCreatedWithACountAnswersWithItsCodesMadeByAGenerationJob() {
        create(server, key, uniqueCampaign("born", "B-########", 300));
        String id = campaignId(server, key, "born");
        assertThat(codes(server, id)).hasSize(300).doesNotHaveDuplicates();
        // One generation path: the campaign's codes were made by a job like any other, and it is finished.
        assertThat(strings(server, "select status || ':' || done || '/' || total from jobs where campaign_id = ?", id))
                .containsExactly("DONE:300/300");
    }

    @Test
    void largeCountRunsAsAJob() {
        create(server, key, uniqueCampaign("bulk", "G-########", 0));
        Response r = server.post("/v1/campaigns/bulk/codes", key, Map.of("count", 25_000));
        assertThat(r.status()).as(r.toString()).isEqualTo(202);
        assertJobMadeExactly(server, key, r.json().get("job").asText(), JOB_TIMEOUT, "bulk", 25_000);
    }

    @Test
    void requestMayChoosePatternPrefixAndCharset() {
        create(server, key, uniqueCampaign("custom", "C-######", 0));
        Response r = server.post("/v1/campaigns/custom/codes", key,
                Map.of("count", 50, "pattern", "########", "charset", "abcdef", "prefix", "X-", "suffix", "-Z"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(codes(server, campaignId(server, key, "custom")))
                .hasSize(50).allSatisfy(c -> assertThat(c).matches("X-[A-F]{8}-Z"));
    }

    @Test
    void concurrentJobsOnOnePatternMakeExactlyTheirCountsWithoutSharingACode() {
        // 3 x 10,000 codes in a space of 32^5 = 33.5 million: some draws collide and must be drawn again.
        for (String name : List.of("a", "b", "c")) create(server, key, uniqueCampaign(name, "K-#####", 0));
        List<CompletableFuture<Response>> started = List.of("a", "b", "c").stream()
                .map(n -> server.callAsync("POST", "/v1/campaigns/" + n + "/codes", key, Map.of("count", 10_000)))
                .toList();
        HashSet<String> all = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Response r = started.get(i).join();
            assertThat(r.status()).as(r.toString()).isEqualTo(202);
            JsonNode job = awaitJob(server, key, r.json().get("job").asText(), JOB_TIMEOUT);
            assertThat(job.get("status").asText()).isEqualTo("DONE");
            List<String> made = codes(server, campaignId(server, key, List.of("a", "b", "c").get(i)));
            assertThat(made).hasSize(10_000);
            all.addAll(made);
        }
        assertThat(all).hasSize(30_000);
    }

    @Test
    void refusesWhatWouldMakeCodesGuessableCountingExistingCodes() {
        // 32^3 = 32,768 possible codes: at most 32 may exist (1 in 1000).
        create(server, key, uniqueCampaign("tiny", "T-###", 0));
        Response tooMany = server.post("/v1/campaigns/tiny/codes", key, Map.of("count", 33));
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.header("Content-Type")).startsWith("application/problem+json");
        assertThat(tooMany.json().at("/errors/0/field").asText()).isEqualTo("count");
        assertThat(server.post("/v1/campaigns/tiny/codes", key, Map.of("count", 20)).status()).isEqualTo(201);
        Response more = server.post("/v1/campaigns/tiny/codes", key, Map.of("count", 13));
        assertThat(more.status()).isEqualTo(422);
        assertThat(more.json().at("/errors/0/message").asText()).contains("the campaign has 20 codes");
        Response ownPattern = server.post("/v1/campaigns/tiny/codes", key, Map.of("count", 13, "pattern", "##"));
        assertThat(ownPattern.status()).isEqualTo(422);
        assertThat(ownPattern.json().get("errors").findValuesAsText("field")).contains("count", "pattern");
        // Nothing was written by the refusals.
        String id = campaignId(server, key, "tiny");
        assertThat(count(server, "select count(*) from codes where campaign_id = ?", id)).isEqualTo(20);
        assertThat(count(server, "select count(*) from jobs where campaign_id = ?", id)).isEqualTo(1);
    }

    @Test
    void badInputIsNamedFieldByField() {
        create(server, key, uniqueCampaign("input", "I-######", 0));
        Response r = server.post("/v1/campaigns/input/codes", key,
                Map.of("count", 0, "pattern", "NO-HASH", "charset", "A", "colour", "red"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("count", "pattern", "charset", "colour");
        assertThat(server.post("/v1/campaigns/input/codes", key, Map.of()).json().at("/errors/0/field").asText())
                .isEqualTo("count");
        assertThat(server.post("/v1/campaigns/input/codes", key, Map.of("count", 10_000_001)).status()).isEqualTo(422);
        assertThat(server.raw("POST", "/v1/campaigns/input/codes", key, "{", "application/json").status()).isEqualTo(400);
        assertThat(server.post("/v1/campaigns/missing/codes", key, Map.of("count", 1)).status()).isEqualTo(404);
    }

    @Test
    void universalCampaignTakesNoGeneratedCodes() {
        create(server, key, universalCampaign("shared", "SHARED10"));
        Response r = server.post("/v1/campaigns/shared/codes", key, Map.of("count", 10));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("not_unique_codes");
    }

    @Test
    void jobsAreVisibleToTheirProjectOnly() {
        create(server, key, uniqueCampaign("mine", "M-######", 0));
        String job = server.post("/v1/campaigns/mine/codes", key, Map.of("count", 5)).json().get("job").asText();
        String other = server.newProject();
        assertThat(server.get("/v1/jobs/" + job, other).status()).isEqualTo(404);
        assertThat(server.get("/v1/jobs/" + job, key).status()).isEqualTo(200);
        assertThat(server.get("/v1/jobs/" + job, null).status()).isEqualTo(401);
    }
}
