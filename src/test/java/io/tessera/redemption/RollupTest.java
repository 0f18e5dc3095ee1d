package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.db.Sql;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's and a campaign's figures read closed days from the rollup and later days live, and equal what a
 * direct count of the redemption lines gives: before the rollup ran, after it, after a rollback of a redemption on a
 * rolled-up day, with a redemption on an open day, on another node and after a restart.
 */
class RollupTest extends ServerPerDatabase {
    /** Days far enough ahead that the test clock's advances are what rolls them up, not the real date. */
    private static final String DAY1 = "2031-03-01", DAY2 = "2031-03-02", LATER = "2031-03-07";
    private String projectId;

    @BeforeEach
    void campaignsAndRedemptions() {
        projectId = api().get("/v1/project").json().get("id").asText();
        assertThat(api().post("/v1/campaigns", universal("u", "UNI", amount(100), Map.of())).status()).isEqualTo(201);
        assertThat(api().post("/v1/campaigns", Map.of("name", "k", "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                "pattern", "K-####", "count", 0), "discount", Map.of("type", "PERCENT", "percent", 10))).status())
                .isEqualTo(201);
        assertThat(server.raw("POST", "/v1/campaigns/k/codes/import", key, "K-1\nK-2\nK-3\nK-4\n", "text/csv")
                .status()).isEqualTo(200);
        io.tessera.testing.Fixtures.scheduleRollup(server, projectId);
        redeem(DAY1, "c-1", 1000, "UNI", "K-1");
        redeem(DAY1, "c-2", 2000, "UNI");
        redeem(DAY1, "c-3", 3000, "K-2");
        redeem(DAY2, "c-4", 4000, "UNI", "K-3");
    }

    /** The rollup's reads on the server's current database (a restart opens a new one). */
    private static Rollups rollups() {
        return new Rollups(server.app().database(), null);
    }

    private String redeem(String day, String customer, long price, String... codes) {
        Response r = api().at(day + "T10:00:00Z").post("/v1/redemptions", checkout(customer, List.of(codes), price));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    private String idOf(String customer) {
        return api().get("/v1/redemptions?customer=" + customer).json().at("/data/0/id").asText();
    }

    private void advance(String to) {
        assertThat(api().post("/v1/test-clock/advance", Map.of("to", to)).status()).isEqualTo(200);
    }

    private String closedThrough() {
        return (String) server.app().database().dsl().fetchValue("select closed_through from redemption_rollups "
                + "where project_id = ?", projectId);
    }

    @Test
    void theFiguresEqualADirectCountBeforeAndAfterTheRollupAndAfterARollbackOnARolledUpDay() {
        assertExact();
        advance(LATER + "T01:00:00Z");
        assertThat(closedThrough()).as("closed two UTC days behind the advance").isEqualTo("2031-03-05");
        assertExact();
        JsonNode before = api().get("/v1/campaigns/k/stats").json();

        assertThat(api().post("/v1/redemptions/" + idOf("c-1") + "/rollback", Map.of("reason", "returned")).status())
                .isEqualTo(200);
        assertExact();
        JsonNode after = api().get("/v1/campaigns/k/stats").json();
        assertThat(after.get("redemptions").asLong()).isEqualTo(before.get("redemptions").asLong() - 1);
        assertThat(after.get("rolledBack").asLong()).isEqualTo(before.get("rolledBack").asLong() + 1);
        assertThat(after.at("/codes/redeemed").asLong()).isEqualTo(2);
        assertThat(after.at("/byDay/0/redemptions").asLong()).isEqualTo(1);
        JsonNode u = api().get("/v1/campaigns/u/stats").json();
        assertThat(u.get("redemptions").asLong()).isEqualTo(2);
        assertThat(u.get("discountGiven").asLong()).isEqualTo(200);

        // An open day is read live, next to the closed ones; the code rolled back is redeemed again.
        redeem(LATER, "c-5", 5000, "UNI", "K-1");
        assertExact();
        assertThat(api().get("/v1/campaigns/k/stats").json().at("/codes/redeemed").asLong()).isEqualTo(3);
    }

    @Test
    void anotherNodeAndARestartReadTheSameFiguresAndARepeatedRollupChangesNothing() {
        advance(LATER + "T01:00:00Z");
        JsonNode stats = api().get("/v1/campaigns/k/stats").json();
        try (TestServer other = server.anotherNode()) {
            assertThat(other.get("/v1/campaigns/k/stats", key).json()).isEqualTo(stats);
        }
        // Rolling up again finds nothing left to do: closed days are never counted twice.
        boolean rolled = server.app().database().transaction(tx -> rollups().rollUpNext(tx, projectId, "2031-03-05"));
        assertThat(rolled).isFalse();
        server.stop();
        server.startAgain();
        assertThat(api().get("/v1/campaigns/k/stats").json()).isEqualTo(stats);
        assertExact();
    }

    @Test
    void theRollupGoesOnDayByDayAsTheClockMoves() {
        advance("2031-03-03T12:00:00Z");
        assertThat(closedThrough()).isEqualTo("2031-03-01");
        assertExact();
        advance("2031-03-04T00:30:00Z");
        assertThat(closedThrough()).isEqualTo(DAY2);
        assertExact();
    }

    @Test
    void withoutTheTestClockEveryProjectHasItsRollupDueAtTheNextUtcMidnight() {
        java.util.function.UnaryOperator<io.tessera.config.Config> realTime =
                c -> c.with(io.tessera.config.Config.Setting.TEST_CLOCK, false);
        DSLContext sql = server.app().database().dsl();
        String today = LocalDate.now(java.time.ZoneOffset.UTC).toString();
        try (TestServer plain = server.anotherNode(realTime)) {
            // At the node's start: every project has its rollup at the next UTC midnight (this one had it already).
            String tomorrow = LocalDate.parse(today).plusDays(1).toString();
            assertThat(sql.fetchValue("select count(*) from tasks where kind = ? and task_key = ?", Rollups.KIND,
                    Rollups.KIND + ":" + projectId + ":" + tomorrow).toString()).isEqualTo("1");
            // A project made now has its first rollup at the next UTC midnight.
            String other = plain.newProject();
            String otherId = plain.get("/v1/project", other).json().get("id").asText();
            var task = sql.fetchOne("select due_at from tasks where kind = ? and project_id = ?", Rollups.KIND, otherId);
            assertThat(Sql.instant(task, "due_at"))
                    .isEqualTo(LocalDate.parse(today).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        }
    }

    @Test
    void eachLineIsRolledUpIntoItsOwnDayInTheEasternmostAndWesternmostZonesAndAQuietStretchIsSkipped() {
        TestServer.Client east = server.newProjectClient(Map.of("timezone", "Pacific/Kiritimati"));
        String pid = east.get("/v1/project").json().get("id").asText();
        assertThat(east.post("/v1/campaigns", universal("u", "UNI", amount(100), Map.of())).status()).isEqualTo(201);
        java.util.function.BiConsumer<String, String> redeem = (at, customer) -> {
            Response r = east.at(at).post("/v1/redemptions", checkout(customer, List.of("UNI"), 1000));
            assertThat(r.status()).as(r.body()).isEqualTo(201);
        };
        redeem.accept("2031-03-01T09:59:00Z", "e-1"); // 2031-03-01 23:59 at UTC+14
        redeem.accept("2031-03-01T10:00:00Z", "e-2"); // 2031-03-02 00:00
        assertThat(east.patch("/v1/project", Map.of("timezone", "Etc/GMT+12")).status()).isEqualTo(200);
        redeem.accept("2031-03-01T11:00:00Z", "w-1"); // 2031-02-28 23:00 at UTC-12: made later, a day earlier
        redeem.accept("2031-03-02T11:59:00Z", "w-2"); // 2031-03-01 23:59
        redeem.accept("2031-03-20T12:00:00Z", "w-3"); // 2031-03-20 00:00, after a quiet stretch
        DSLContext sql = server.app().database().dsl();
        assertThat(sql.fetch("select local_day, count(*) as n from redemption_lines where project_id = ? "
                + "group by local_day order by local_day", pid).map(r -> r.get(0, String.class) + "=" + r.get(1)))
                .containsExactly("2031-02-28=1", "2031-03-01=2", "2031-03-02=1", "2031-03-20=1");

        int rolled = 0;
        while (server.app().database().transaction(tx -> rollups().rollUpNext(tx, pid, "2031-03-10"))) rolled++;
        // 02-28, 03-01, 03-02 and 03-03 (nothing), then past the quiet stretch to the last closable day in one step.
        assertThat(rolled).isEqualTo(4);
        java.util.function.Supplier<List<String>> projectDays = () -> sql.fetch("select local_day, redemptions "
                + "from redemption_days where project_id = ? and campaign_id = ? order by local_day", pid,
                Rollups.PROJECT).map(r -> r.get(0, String.class) + "=" + Sql.longValue(r.get(1)));
        assertThat(projectDays.get()).containsExactly("2031-02-28=1", "2031-03-01=2", "2031-03-02=1");
        assertThat(rollups().days(pid, LocalDate.parse("2031-02-01"))).containsExactly(
                new Rollups.Day("2031-02-28", 1, 100), new Rollups.Day("2031-03-01", 2, 200),
                new Rollups.Day("2031-03-02", 1, 100), new Rollups.Day("2031-03-20", 1, 100));

        while (server.app().database().transaction(tx -> rollups().rollUpNext(tx, pid, "2031-03-25"))) rolled++;
        assertThat(projectDays.get()).containsExactly("2031-02-28=1", "2031-03-01=2", "2031-03-02=1", "2031-03-20=1");
        assertThat(rollups().days(pid, LocalDate.parse("2031-02-01"))).hasSize(4);
    }

    /** Every figure the pages show equals the same figure counted directly from the redemption lines. */
    private void assertExact() {
        DSLContext sql = server.app().database().dsl();
        LocalDate from = LocalDate.parse("2031-02-01");
        assertThat(rollups().days(projectId, from)).isEqualTo(sql.fetch("select l.local_day, count(distinct r.id) as n, "
                        + "sum(l.discount) as d from redemption_lines l join redemptions r on r.id = l.redemption_id "
                        + "where l.project_id = ? and r.status = 'REDEEMED' and l.local_day >= ? "
                        + "group by l.local_day order by l.local_day", projectId, from.toString())
                .map(r -> new Rollups.Day(r.get("local_day", String.class), Sql.longValue(r.get("n")),
                        Sql.longValue(r.get("d")))));
        assertThat(rollups().topCodes(projectId, 3)).isEqualTo(sql.fetch("select l.code, count(*) as n, "
                        + "sum(l.discount) as d from redemption_lines l join redemptions r on r.id = l.redemption_id "
                        + "where l.project_id = ? and r.status = 'REDEEMED' and l.code is not null group by l.code "
                        + "order by count(*) desc, l.code limit 3", projectId)
                .map(r -> new Rollups.TopCode(r.get("code", String.class), Sql.longValue(r.get("n")),
                        Sql.longValue(r.get("d")))));
        Map<String, Rollups.Standing> standing = rollups().campaigns(projectId);
        for (String name : List.of("u", "k")) {
            String campaign = (String) sql.fetchValue("select id from campaigns where project_id = ? and name = ?",
                    projectId, name);
            Rollups.CampaignFigures f = rollups().campaign(projectId, campaign);
            var direct = sql.fetchOne("select sum(case when r.status = 'REDEEMED' then 1 else 0 end) as n, "
                    + "sum(case when r.status = 'REDEEMED' then 0 else 1 end) as rb, "
                    + "sum(case when r.status = 'REDEEMED' then l.discount else 0 end) as d, "
                    + "sum(case when r.status = 'REDEEMED' then r.order_value else 0 end) as o "
                    + "from redemption_lines l join redemptions r on r.id = l.redemption_id where l.campaign_id = ?",
                    campaign);
            long codes = Sql.longValue(sql.fetchValue("select count(*) from codes where campaign_id = ? "
                    + "and redemptions > 0", campaign));
            assertThat(List.of(f.redemptions(), f.rolledBack(), f.discount(), f.ordersValue(), f.codesRedeemed()))
                    .as(name).isEqualTo(List.of(Sql.longValue(direct.get("n")), Sql.longValue(direct.get("rb")),
                            Sql.longValue(direct.get("d")), Sql.longValue(direct.get("o")), codes));
            assertThat(standing.get(campaign)).as(name).isEqualTo(new Rollups.Standing(f.redemptions(), f.discount()));
            assertThat(f.byDay()).as(name).isEqualTo(sql.fetch("select l.local_day, count(*) as n, sum(l.discount) "
                            + "as d from redemption_lines l join redemptions r on r.id = l.redemption_id "
                            + "where l.campaign_id = ? and r.status = 'REDEEMED' group by l.local_day "
                            + "order by l.local_day", campaign)
                    .map(r -> Map.<String, Object>of("day", r.get("local_day", String.class), "redemptions",
                            Sql.longValue(r.get("n")), "discount", Sql.longValue(r.get("d")))));
            JsonNode stats = api().get("/v1/campaigns/" + name + "/stats").json();
            assertThat(stats.at("/codes/total").asLong()).as(name).isEqualTo(Sql.longValue(sql.fetchValue(
                    "select count(*) from codes where campaign_id = ?", campaign)));
            assertThat(stats.at("/codes/redeemed").asLong()).as(name).isEqualTo(codes);
        }
    }
}
