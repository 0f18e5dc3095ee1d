package io.tessera.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Campaigns, jobs and direct database reads shared by the HTTP tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Map<String, Object> uniqueCampaign(String name, String pattern, long count) {
        Map<String, Object> codes = new LinkedHashMap<>();
        codes.put("mode", "UNIQUE");
        codes.put("pattern", pattern);
        codes.put("count", count);
        return campaign(name, codes);
    }

    public static Map<String, Object> universalCampaign(String name, String code) {
        return campaign(name, Map.of("mode", "UNIVERSAL", "code", code));
    }

    private static Map<String, Object> campaign(String name, Map<String, Object> codes) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("type", "CODES");
        c.put("active", true);
        c.put("codes", codes);
        c.put("discount", Map.of("type", "AMOUNT", "amount", 100));
        return c;
    }

    public static void create(TestServer s, String key, Map<String, Object> campaign) {
        Response r = s.post("/v1/campaigns", key, campaign);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** Waits until the job is no longer RUNNING and returns it. */
    public static JsonNode awaitJob(TestServer s, String key, String jobId, Duration timeout) {
        return await("job " + jobId + " ended").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> job(s, key, jobId), job -> !"RUNNING".equals(job.get("status").asText()));
    }

    /** Waits until the job reports progress (done > 0) or has ended. */
    public static JsonNode awaitProgress(TestServer s, String key, String jobId, Duration timeout) {
        return await("job " + jobId + " progressed").atMost(timeout).pollInterval(Duration.ofMillis(50))
                .until(() -> job(s, key, jobId),
                        job -> job.get("done").asLong() > 0 || !"RUNNING".equals(job.get("status").asText()));
    }

    private static JsonNode job(TestServer s, String key, String jobId) {
        Response r = s.get("/v1/jobs/" + jobId, key);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Waits for the job and checks it made exactly {@code total} codes, all distinct, in campaign {@code name}. */
    public static void assertJobMadeExactly(TestServer s, String key, String jobId, Duration timeout, String name,
                                            long total) {
        JsonNode job = awaitJob(s, key, jobId, timeout);
        org.assertj.core.api.Assertions.assertThat(job.get("status").asText()).isEqualTo("DONE");
        org.assertj.core.api.Assertions.assertThat(job.get("done").asLong()).isEqualTo(total);
        String id = campaignId(s, key, name);
        org.assertj.core.api.Assertions.assertThat(count(s, "select count(*) from codes where campaign_id = ?", id))
                .isEqualTo(total);
        org.assertj.core.api.Assertions.assertThat(count(s, "select count(distinct code) from codes where campaign_id = ?", id))
                .isEqualTo(total);
    }

    public static String campaignId(TestServer s, String key, String name) {
        return s.get("/v1/campaigns/" + name, key).json().get("id").asText();
    }

    /** The campaign's codes, straight from the database. */
    public static List<String> codes(TestServer s, String campaignId) {
        return strings(s, "select code from codes where campaign_id = ? order by code", campaignId);
    }

    public static List<String> strings(TestServer s, String sql, Object... args) {
        try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(TestServer s, String sql, Object... args) {
        return Long.parseLong(strings(s, sql, args).getFirst());
    }

    public static int execute(TestServer s, String sql, Object... args) {
        try (Connection c = s.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Subscribes a webhook (to a receiver that is never there) to {@code types} in the key's project, so that events of
     * those types are stored: an event no webhook wants is not.
     */
    public static void recordEvents(TestServer server, String key, String... types) {
        Response r = server.post("/v1/webhooks", key, java.util.Map.of("name", "events-recorder",
                "url", "http://127.0.0.1:9/hooks", "events", java.util.List.of(types)));
        if (r.status() != 201) throw new AssertionError("webhook not created: " + r);
    }

    /**
     * Schedules the project's daily redemption rollup, as a server without the test clock does when a project is
     * created (with the test clock nothing is rolled up unless scheduled): the server's own scheduler runs it when the
     * test clock is advanced past the next UTC midnight.
     */
    public static void scheduleRollup(TestServer server, String projectId) {
        io.tessera.db.Database db = server.app().database();
        io.tessera.job.Scheduler scheduler = new io.tessera.job.Scheduler(db, java.time.Clock.systemUTC(), true, 1000, 1);
        io.tessera.redemption.Rollups rollups = new io.tessera.redemption.Rollups(db, scheduler);
        scheduler.register(io.tessera.redemption.Rollups.KIND, rollups, io.tessera.redemption.Rollups.RETRY);
        db.transaction(tx -> {
            rollups.schedule(tx, projectId, java.time.Instant.now());
            return null;
        });
    }
}
