package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.config.Config;
import io.tessera.db.Sql;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;

/**
 * A limit changed while redemptions run holds from the moment the change is answered, on every node, counting what
 * already stands. Three nodes share the database: A (the class's server, where the limits are changed), B with the
 * default cache refresh, and C whose cached campaigns never refresh during the class, so it redeems from the old
 * definition unless the database tells it otherwise (each test has a project of its own, which C loads at its first
 * request). Traffic runs from several threads over all nodes before, during and after the change; each test then
 * compares what stands with what the limit allows, exactly, from the database.
 *
 * <p>The shape of every test: redemptions run until {@link #BEFORE} of them stand, the PATCH is sent while they keep
 * running, what stands right after its answer is read ({@code atAnswer}), then {@link #AFTER} more requests are sent,
 * all of them after the answer. A limit set to L must end with exactly {@code max(L, atAnswer)} standing: if fewer than
 * L stood, the traffic after the answer fills the limit to exactly L; if more, none of that traffic stands (and nothing
 * that stood is taken away). Counters must agree with what stands, to the unit.
 */
class LimitChangeUnderLoadTest extends ServerPerDatabase {
    private static final int THREADS = 12;
    private static final int BEFORE = 30;
    private static final int AFTER = 240;
    private static TestServer usual;
    private static TestServer stale;

    @BeforeParameterizedClassInvocation
    static void twoMoreNodes() {
        // A smaller pool than the default: three nodes share the PostgreSQL of the whole machine.
        usual = server.anotherNode(c -> tuned(c, 1000));
        stale = server.anotherNode(c -> tuned(c, 600_000));
    }

    @AfterParameterizedClassInvocation
    static void stopTheOtherNodes() {
        if (stale != null) stale.close();
        if (usual != null) usual.close();
        stale = usual = null;
    }

    private static Config tuned(Config c, long refreshMillis) {
        return c.with(Map.of(Config.Setting.DATABASE_POOL_SIZE, 8, Config.Setting.CACHE_REFRESH_MILLIS, refreshMillis));
    }

    @Test
    void aTotalLimitLoweredUnderTrafficLetsNoMoreStandOnAnyNode() throws Exception {
        Cluster cluster = cluster(null);
        var api = cluster.admin();
        String id = cluster.create(universal("low", "LOW", amount(100), Map.of("redemptions", 1000)));
        long atAnswer = cluster.run(i -> checkout("c-" + i, List.of("LOW"), 1000),
                () -> api.patch("/v1/campaigns/low", Map.of("limits", Map.of("redemptions", 10))),
                () -> cluster.standing(id));

        long expected = Math.max(10, atAnswer);
        assertThat(cluster.standing(id)).isEqualTo(expected);
        assertThat(cluster.slotsUsed(id, "total")).isEqualTo(expected);
    }

    @Test
    void aTotalLimitAddedUnderTrafficCountsEveryStandingRedemptionAndStopsExactlyAtIt() throws Exception {
        Cluster cluster = cluster(null);
        var api = cluster.admin();
        String id = cluster.create(universal("add", "ADD", amount(100), Map.of()));
        long atAnswer = cluster.run(i -> checkout("c-" + i, List.of("ADD"), 1000),
                () -> api.patch("/v1/campaigns/add", Map.of("limits", Map.of("redemptions", 150))),
                () -> cluster.standing(id));

        long expected = Math.max(150, atAnswer);
        assertThat(cluster.standing(id)).isEqualTo(expected);
        // The counter holds every standing redemption, those before the change and those committed with it.
        assertThat(cluster.slotsUsed(id, "total")).isEqualTo(expected);
        assertThat(cluster.counted(id, "total#%")).isEqualTo(expected);
    }

    @Test
    void aPerPeriodLimitLoweredUnderTrafficLetsNoMoreStandThatDay() throws Exception {
        Cluster cluster = cluster("2026-11-24T10:00:00Z");
        var api = cluster.admin();
        String id = cluster.create(universal("day", "DAY", amount(100),
                Map.of("perPeriod", Map.of("count", 100, "period", "DAY"))));
        long atAnswer = cluster.run(i -> checkout("c-" + i, List.of("DAY"), 1000),
                () -> api.patch("/v1/campaigns/day", Map.of("limits", Map.of("perPeriod", Map.of("count", 5, "period", "DAY")))),
                () -> cluster.standing(id));

        long expected = Math.max(5, atAnswer);
        assertThat(cluster.standing(id)).isEqualTo(expected);
        assertThat(cluster.slotsUsed(id, "period:DAY:2026-11-24")).isEqualTo(expected);
    }

    @Test
    void aPerCustomerLimitLoweredUnderTrafficLetsNoCustomerHaveMore() throws Exception {
        Cluster cluster = cluster(null);
        var api = cluster.admin();
        String id = cluster.create(universal("each", "EACH", amount(100), Map.of("perCustomer", 100)));
        List<Long> atAnswer = cluster.run(i -> checkout("c-" + (i % 5), List.of("EACH"), 1000),
                () -> api.patch("/v1/campaigns/each", Map.of("limits", Map.of("perCustomer", 2))),
                () -> IntStream.range(0, 5).mapToObj(c -> cluster.standing(id, "c-" + c)).toList());

        for (int c = 0; c < 5; c++) {
            long expected = Math.max(2, atAnswer.get(c));
            assertThat(cluster.standing(id, "c-" + c)).as("customer c-" + c).isEqualTo(expected);
            assertThat(cluster.rowUsed(id, "customer:c-" + c)).as("counter of c-" + c).isEqualTo(expected);
        }
    }

    @Test
    void aDiscountBudgetLoweredUnderTrafficGivesNoMoreThanItAllows() throws Exception {
        Cluster cluster = cluster(null);
        var api = cluster.admin();
        String id = cluster.create(universal("bud", "BUD", amount(100), Map.of("budget", Map.of("discount", 1_000_000))));
        long atAnswer = cluster.run(i -> checkout("c-" + i, List.of("BUD"), 1000),
                () -> api.patch("/v1/campaigns/bud", Map.of("limits", Map.of("budget", Map.of("discount", 2000)))),
                () -> cluster.discountGiven("bud"));

        long expected = Math.max(2000, atAnswer);
        assertThat(cluster.discountGiven("bud")).isEqualTo(expected);
        assertThat(cluster.slotsUsed(id, "budget.discount")).isEqualTo(expected);
    }

    @Test
    void aLimitAddedWhileRedemptionsAreRolledBackCountsExactlyThoseThatStillStand() throws Exception {
        Cluster cluster = cluster(null);
        var api = cluster.admin();
        String id = cluster.create(universal("back", "BACK", amount(100), Map.of()));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            ids.add(cluster.nodes.get(i % cluster.nodes.size()).post("/v1/redemptions",
                    checkout("c-" + i, List.of("BACK"), 1000)).json().at("/id").asText());
        }
        // Half of them are rolled back from several threads over all nodes; the limit is added meanwhile.
        CountDownLatch someBack = new CountDownLatch(10);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> rollbacks = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                var node = cluster.nodes.get(i % cluster.nodes.size());
                String redemption = ids.get(2 * i);
                rollbacks.add(pool.submit(() -> {
                    int status = node.post("/v1/redemptions/" + redemption + "/rollback", Map.of("reason", "test")).status();
                    someBack.countDown();
                    return status;
                }));
            }
            assertThat(someBack.await(2, TimeUnit.MINUTES)).isTrue();
            assertThat(api.patch("/v1/campaigns/back", Map.of("limits", Map.of("redemptions", 50))).status()).isEqualTo(200);
            for (Future<Integer> f : rollbacks) assertThat(f.get(2, TimeUnit.MINUTES)).isEqualTo(200);
        } finally {
            pool.shutdownNow();
        }

        assertThat(cluster.standing(id)).isEqualTo(40);
        assertThat(cluster.slotsUsed(id, "total")).isEqualTo(40);
        assertThat(cluster.counted(id, "total#%")).isEqualTo(40);
    }

    @Test
    void aLimitRaisedOnOneNodeIsUsableAtOnceThroughANodeWhoseCopyIsOld() {
        Cluster cluster = cluster(null);
        var api = cluster.admin();
        var old = cluster.nodes.get(2);
        String id = cluster.create(universal("more", "MORE", amount(100), Map.of("perCustomer", 1)));
        assertThat(old.post("/v1/redemptions", checkout("c-1", List.of("MORE"), 1000)).status()).isEqualTo(201);
        assertThat(old.post("/v1/redemptions", checkout("c-1", List.of("MORE"), 1000)).status()).isEqualTo(422);

        assertThat(api.patch("/v1/campaigns/more", Map.of("limits", Map.of("perCustomer", 2))).status()).isEqualTo(200);

        assertThat(old.post("/v1/redemptions", checkout("c-1", List.of("MORE"), 1000)).status()).isEqualTo(201);
        var third = old.post("/v1/redemptions", checkout("c-1", List.of("MORE"), 1000));
        assertThat(third.json().at("/rejected/0/reason").asText()).isEqualTo("customer_limit");
        assertThat(cluster.standing(id, "c-1")).isEqualTo(2);
    }

    /**
     * The three nodes as clients of this test's project; {@code now}: the X-Test-Now of every request, when the test
     * needs one fixed day.
     */
    private Cluster cluster(String now) {
        List<TestServer.Client> nodes = new ArrayList<>();
        for (TestServer s : List.of(server, usual, stale)) {
            TestServer.Client client = s.client(key);
            nodes.add(now == null ? client : client.at(now));
        }
        return new Cluster(nodes);
    }

    /** The nodes of a test (A, B, C) as clients of its project. */
    record Cluster(List<TestServer.Client> nodes) {
        /** The node limits are changed through. */
        TestServer.Client admin() {
            return nodes.getFirst();
        }

        /** Creates the campaign through A; returns its id. */
        String create(Map<String, Object> campaign) {
            Response r = admin().post("/v1/campaigns", campaign);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            return r.json().at("/id").asText();
        }

        /**
         * Redeems from {@link #THREADS} threads, round robin over the nodes, until {@link #BEFORE} redemptions stood;
         * then sends {@code change} while redemptions go on, reads {@code measure} right after its answer, and sends
         * {@link #AFTER} more requests, each started after that answer. Every answer must be 201 or 422.
         */
        <T> T run(IntFunction<Object> body, Supplier<Response> change, Supplier<T> measure) throws Exception {
            CountDownLatch before = new CountDownLatch(BEFORE);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger stopAt = new AtomicInteger(Integer.MAX_VALUE);
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            T atAnswer;
            try {
                for (int t = 0; t < THREADS; t++) {
                    workers.add(pool.submit(() -> {
                        // Bounded: at most BEFORE + AFTER + 5000 requests in all, whatever happens.
                        for (int i = next.getAndIncrement(); i < stopAt.get() && i < BEFORE + AFTER + 5000;
                             i = next.getAndIncrement()) {
                            int status = nodes.get(i % nodes.size()).post("/v1/redemptions", body.apply(i)).status();
                            statuses.add(status);
                            if (status == 201) before.countDown();
                        }
                        return null;
                    }));
                }
                assertThat(before.await(2, TimeUnit.MINUTES)).as("redemptions before the change").isTrue();
                var answer = change.get();
                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                atAnswer = measure.get();
                stopAt.set(next.get() + AFTER);
                for (Future<?> w : workers) w.get(5, TimeUnit.MINUTES);
            } finally {
                pool.shutdownNow();
            }
            assertThat(statuses).allMatch(s -> s == 201 || s == 422);
            return atAnswer;
        }

        private org.jooq.DSLContext sql() {
            return server.app().database().dsl();
        }

        /** Standing redemptions of the campaign. */
        long standing(String campaignId) {
            return Sql.longValue(sql().fetchValue("select count(*) from redemption_lines l join redemptions r "
                    + "on r.id = l.redemption_id where l.campaign_id = ? and r.status = 'REDEEMED'", campaignId));
        }

        /** Standing redemptions of the campaign by one customer. */
        long standing(String campaignId, String customer) {
            return Sql.longValue(sql().fetchValue("select count(*) from redemption_lines l join redemptions r "
                    + "on r.id = l.redemption_id where l.campaign_id = ? and r.status = 'REDEEMED' and r.customer_id = ?",
                    campaignId, customer));
        }

        /** A campaign-wide counter: its slots summed. */
        long slotsUsed(String campaignId, String counter) {
            return Sql.longValue(sql().fetchValue("select coalesce(sum(used), 0) from counter_slots "
                    + "where campaign_id = ? and name like ?", campaignId, counter + "#%"));
        }

        long rowUsed(String campaignId, String counter) {
            return Sql.longValue(sql().fetchValue("select coalesce(sum(used), 0) from counters "
                    + "where campaign_id = ? and name = ?", campaignId, counter));
        }

        /** What standing redemptions are recorded as having taken from the named rows (what rollbacks give back). */
        long counted(String campaignId, String rows) {
            return Sql.longValue(sql().fetchValue("select coalesce(sum(c.amount), 0) from redemption_counters c "
                    + "join redemptions r on r.id = c.redemption_id where c.campaign_id = ? and c.name like ? "
                    + "and r.status = 'REDEEMED'", campaignId, rows));
        }

        long discountGiven(String campaign) {
            return admin().get("/v1/campaigns/" + campaign + "/stats").json().at("/discountGiven").asLong();
        }
    }
}
