package io.tessera.redemption;

import static io.tessera.testing.Bodies.amount;
import static io.tessera.testing.Bodies.checkout;
import static io.tessera.testing.Bodies.universal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.db.Database;
import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.StatementLog;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Group commit (PostgreSQL): redemptions ready at once commit in one transaction, and every outcome is what it would be
 * alone — limits exact, idempotency kept, refusals each member's own — on one node and across two. On H2, where each
 * redemption commits alone, the same requests must come out the same.
 */
class GroupCommitTest extends ServerPerDatabase {
    private static final int THREADS = 24;

    private static <T> List<T> concurrently(int n, IntFunction<T> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit(() -> request.apply(k)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get());
            return out;
        } finally {
            pool.shutdown();
        }
    }

    private void campaign(Map<String, Object> limits) {
        Response r = api().post("/v1/campaigns", universal("group", "GROUP", amount(100), limits));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** Members and transactions of group commits so far on the class's server (sum and count of the group sizes). */
    private double[] groups() {
        double sum = 0, count = 0;
        for (String line : server.client(null).get("/metrics").body().lines().toList()) {
            if (line.startsWith("tessera_redemption_group_size_sum")) sum = Double.parseDouble(line.split(" ")[1]);
            if (line.startsWith("tessera_redemption_group_size_count")) count = Double.parseDouble(line.split(" ")[1]);
        }
        return new double[] {sum, count};
    }

    @Test
    void newCustomersRedeemingAtOnceCommitInGroupsAndEachGetsItsOwnRedemption() throws Exception {
        campaign(Map.of("perCustomer", 1));
        double[] before = groups();

        List<Response> answers;
        List<String> statements;
        try (StatementLog log = StatementLog.on(server.app().database())) {
            answers = concurrently(96, i -> api().post("/v1/redemptions", checkout("g-" + i, List.of("GROUP"), 1000)));
            statements = log.statements();
        }

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < answers.size(); i++) {
            Response r = answers.get(i);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.json().at("/customer").asText()).isEqualTo("g-" + i);
            ids.add(r.json().at("/id").asText());
            var stored = api().get("/v1/redemptions?customer=g-" + i).json().at("/data");
            assertThat(stored.size()).as("g-" + i).isEqualTo(1);
            assertThat(stored.get(0).at("/id").asText()).isEqualTo(r.json().at("/id").asText());
            assertThat(api().get("/v1/customers/g-" + i).status()).isEqualTo(200);
        }
        assertThat(ids).hasSize(96);
        assertThat(api().get("/v1/campaigns/group/stats").json().at("/redemptions").asLong()).isEqualTo(96);
        double[] after = groups();
        if (database.equals(TestDatabases.POSTGRES)) {
            // Some transactions held more than one redemption: fewer transactions than members.
            assertThat(after[1] - before[1]).as("group transactions").isLessThan(after[0] - before[0]);
            // A group holds and reads its members' limits once: one read per transaction, alone or grouped.
            double transactions = 96 - (after[0] - before[0]) + (after[1] - before[1]);
            assertThat(statements).filteredOn(s -> s.contains("from campaign_limits")).hasSize((int) transactions);
            // And writes its members' redemptions, lines, customers and counters in one statement each.
            for (String table : List.of("redemptions", "redemption_lines", "customers", "counters")) {
                assertThat(statements).as(table).filteredOn(s -> s.startsWith("insert into " + table + " "))
                        .hasSize((int) transactions);
            }
        } else {
            assertThat(after[0] - before[0]).as("H2 commits each redemption alone").isZero();
        }
    }

    @Test
    void aCustomerTryingManyTimesAtOnceRedeemsExactlyTheirLimitAndTheOthersAreUntouched() throws Exception {
        campaign(Map.of("perCustomer", 2));
        // Half the customers exist before (their counter rows are taken with guarded updates), half are new.
        for (int c = 0; c < 8; c++) {
            assertThat(api().put("/v1/customers/m-" + c, Map.of("attributes", Map.of("tier", "gold"))).status()).isIn(200, 201);
        }

        // 16 customers, 6 tries each, all at once and interleaved: exactly 2 each.
        List<Integer> statuses = concurrently(96, i -> api().post("/v1/redemptions",
                checkout("m-" + (i % 16), List.of("GROUP"), 1000)).status());

        assertThat(statuses).allMatch(s -> s == 201 || s == 422);
        assertThat(statuses.stream().filter(s -> s == 201)).hasSize(32);
        for (int c = 0; c < 16; c++) {
            assertThat(api().get("/v1/redemptions?customer=m-" + c).json().at("/data").size()).as("m-" + c).isEqualTo(2);
        }
        assertThat(api().get("/v1/campaigns/group/stats").json().at("/discountGiven").asLong()).isEqualTo(3200);
    }

    @Test
    void oneIdempotencyKeySentManyTimesAtOnceAmongOthersRedeemsOnceAndEveryRetryGetsTheSameAnswer() throws Exception {
        campaign(Map.of("perCustomer", 1));

        List<Response> answers = concurrently(48, i -> i % 3 == 0
                ? api().post("/v1/redemptions", checkout("k-same", List.of("GROUP"), 1000), Map.of("Idempotency-Key", "same"))
                : api().post("/v1/redemptions", checkout("k-" + i, List.of("GROUP"), 1000), Map.of("Idempotency-Key", "k-" + i)));

        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(201));
        List<String> retries = new ArrayList<>();
        for (int i = 0; i < answers.size(); i += 3) retries.add(answers.get(i).body());
        assertThat(new HashSet<>(retries)).hasSize(1);
        assertThat(api().get("/v1/redemptions?customer=k-same").json().at("/data").size()).isEqualTo(1);
        assertThat(api().get("/v1/campaigns/group/stats").json().at("/redemptions").asLong()).isEqualTo(1 + 32);
    }

    /** A CODES campaign of {@code count} unique codes, each redeemable {@code perCode} times, limited to {@code total}. */
    private List<String> uniqueCodes(String name, int count, int perCode, int total) {
        Response r = api().post("/v1/campaigns", Map.of("name", name, "type", "CODES",
                "codes", Map.of("mode", "UNIQUE", "pattern", name.toUpperCase() + "-#######", "count", count),
                "discount", amount(100), "limits", Map.of("perCode", perCode, "redemptions", total)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String projectId = api().get("/v1/project").json().at("/id").asText();
        return server.app().database().dsl().fetch("select c.code from codes c join campaigns m on m.project_id = "
                + "c.project_id and m.id = c.campaign_id where c.project_id = ? and m.name = ? order by c.code",
                projectId, name).getValues(0, String.class);
    }

    @Test
    void uniqueCodesRedeemedAtOnceCommitInGroupsAndEachCodeKeepsItsLimit() throws Exception {
        List<String> codes = uniqueCodes("uq", 40, 2, 1000);
        double[] before = groups();

        // 32 codes redeemed once each by a new customer, and 8 codes tried by 4 customers each: 2 of them get it.
        List<Response> answers = concurrently(64, i -> i < 32
                ? api().post("/v1/redemptions", checkout("u-" + i, List.of(codes.get(i)), 1000))
                : api().post("/v1/redemptions", checkout("u-" + i, List.of(codes.get(32 + i % 8)), 1000)));

        for (int i = 0; i < 32; i++) assertThat(answers.get(i).status()).as(answers.get(i).toString()).isEqualTo(201);
        assertThat(answers.subList(32, 64)).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(201, 422));
        assertThat(answers.subList(32, 64).stream().filter(r -> r.status() == 201)).hasSize(16);
        String projectId = api().get("/v1/project").json().at("/id").asText();
        List<Long> used = server.app().database().dsl().fetch("select redemptions from codes where project_id = ? "
                + "and code in (" + String.join(",", codes.stream().map(c -> "'" + c + "'").toList()) + ") order by code",
                projectId).getValues(0, Long.class);
        assertThat(used.subList(0, 32)).allMatch(n -> n == 1);
        assertThat(used.subList(32, 40)).allMatch(n -> n == 2);
        assertThat(api().get("/v1/campaigns/uq/stats").json().at("/redemptions").asLong()).isEqualTo(48);
        double[] after = groups();
        if (database.equals(TestDatabases.POSTGRES)) {
            assertThat(after[1] - before[1]).as("group transactions").isLessThan(after[0] - before[0]);
        }
    }

    @Test
    void rollbacksAndRedemptionsOfOneUniqueCodeAtOnceAllSucceedAndEndExactly() throws Exception {
        // One code redeemable many times in a campaign with a total limit (slot rows): each rollback gives back the
        // code and a slot while other redemptions of the code take them, in the same order. PostgreSQL only: H2, the
        // single-node development database, queues a project's rollbacks on its rollup row behind the hot code's
        // redemptions until its lock timeout.
        assumeTrue(database.equals(TestDatabases.POSTGRES), "row locks and deadlock detection as PostgreSQL's");
        String code = uniqueCodes("rbq", 1, 10_000, 10_000).getFirst();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Response r = api().post("/v1/redemptions", checkout("r-" + i, List.of(code), 1000));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            ids.add(r.json().at("/id").asText());
        }

        List<Response> answers = concurrently(72, i -> i % 3 == 0
                ? api().post("/v1/redemptions/" + ids.get(i / 3) + "/rollback", Map.of("reason", "test"))
                : api().post("/v1/redemptions", checkout("s-" + i, List.of(code), 1000)));

        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).status()).as(answers.get(i).toString()).isEqualTo(i % 3 == 0 ? 200 : 201);
        }
        String projectId = api().get("/v1/project").json().at("/id").asText();
        long redeemed = api().get("/v1/campaigns/rbq/stats").json().at("/redemptions").asLong();
        assertThat(redeemed).as("24 + 48 redeemed, 24 rolled back").isEqualTo(48);
        assertThat(((Number) server.app().database().dsl().fetchValue("select redemptions from codes "
                + "where project_id = ? and code = ?", projectId, code)).longValue()).isEqualTo(48);
    }

    @Test
    void twoNodesGroupingTheSameCustomersInOppositeOrdersLoseNothingAndPassNoLimit() throws Exception {
        campaign(Map.of("perCustomer", 1));
        try (TestServer other = server.anotherNode()) {
            var there = other.client(key);
            // Each customer twice: once on each node, one node going up the list while the other goes down it.
            List<Response> answers = concurrently(96, i -> i % 2 == 0
                    ? api().post("/v1/redemptions", checkout("n-" + (i / 2), List.of("GROUP"), 1000))
                    : there.post("/v1/redemptions", checkout("n-" + (47 - i / 2), List.of("GROUP"), 1000)));

            assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(201, 422));
            assertThat(answers.stream().filter(r -> r.status() == 201)).hasSize(48);
            for (int c = 0; c < 48; c++) {
                assertThat(there.get("/v1/redemptions?customer=n-" + c).json().at("/data").size()).as("n-" + c).isEqualTo(1);
            }
        }
    }

    /**
     * A group commit of its own over the class's database (PostgreSQL), one transaction in flight, whose lane member
     * "a" holds open until {@link #queue} has the others waiting and {@link #open} lets it go; its rows go on close.
     */
    private final class Held implements AutoCloseable {
        final Database db = server.app().database();
        final GroupCommit group = new GroupCommit(db, new CounterStore(db), 8, 1);
        final String project = "grp-" + System.nanoTime();
        final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        final CountDownLatch running = new CountDownLatch(1), open = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(4);

        Held() {
            assumeTrue(database.equals(TestDatabases.POSTGRES), "group commit runs on PostgreSQL");
            group.bindTo(new SimpleMeterRegistry());
        }

        GroupCommit.Member member(String customer, List<String> campaigns, Runnable then) {
            return new GroupCommit.Member(project, customer, campaigns, insert(customer, then));
        }

        /** A member whose work leaves its transaction unable to commit: a unique key checked only at the commit. */
        GroupCommit.Member failingAtCommit(String customer) {
            return new GroupCommit.Member(project, customer, List.of(), (tx, batch, limits) -> {
                GroupCommit.Rest rest = insert(customer, () -> { }).prepare(tx, batch, limits);
                return new GroupCommit.Rest() {
                    @Override
                    public void beforeTakes() {
                        tx.execute("create temp table at_commit (id int primary key deferrable initially deferred) "
                                + "on commit drop");
                        tx.execute("insert into at_commit values (1), (1)");
                    }

                    @Override
                    public List<GroupCommit.Take> takes() {
                        return List.of();
                    }

                    @Override
                    public String answer() {
                        return rest.answer();
                    }
                };
            });
        }

        GroupCommit.Member member(String customer, List<String> campaigns) {
            return member(customer, campaigns, () -> { });
        }

        /**
         * Work that inserts a row named {@code name} in the first round trip and then answers with its transaction's
         * id; counts its runs. {@code then} runs before the answer (a gate, or a failure).
         */
        private GroupCommit.Work insert(String name, Runnable then) {
            return (tx, batch, limits) -> {
                runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                batch.add("insert into counters (project_id, campaign_id, name, used) values (?, 'probe', ?, 1)",
                        project, name);
                return new GroupCommit.Rest() {
                    @Override
                    public void beforeTakes() {
                        then.run();
                    }

                    @Override
                    public List<GroupCommit.Take> takes() {
                        return List.of();
                    }

                    @Override
                    public String answer() {
                        return name + "@" + tx.fetchValue("select txid_current()");
                    }
                };
            };
        }

        /** Starts "a", then {@code others} once "a" runs; their futures ("a"'s first) once all the others wait. */
        List<Future<String>> queue(List<GroupCommit.Member> others) throws Exception {
            List<Future<String>> all = new ArrayList<>();
            GroupCommit.Member first = member("a", List.of(), () -> {
                running.countDown();
                try {
                    open.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            all.add(pool.submit(() -> group.commit(first)));
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            for (GroupCommit.Member m : others) all.add(pool.submit(() -> group.commit(m)));
            await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting(project) == others.size());
            return all;
        }

        List<String> rows() {
            return db.dsl().fetch("select name from counters where project_id = ? order by name", project)
                    .getValues(0, String.class);
        }

        @Override
        public void close() {
            open.countDown();
            pool.shutdown();
            db.dsl().execute("delete from counters where project_id = ?", project);
        }
    }

    @Test
    void membersWaitingWhileATransactionIsInFlightCommitTogetherInTheNextOne() throws Exception {
        try (Held held = new Held()) {
            List<Future<String>> f = held.queue(List.of(held.member("d", List.of("cmp_x")),
                    held.member("b", List.of("cmp_y")), held.member("c", List.of("cmp_x"))));
            held.open.countDown();

            List<String> answers = new ArrayList<>();
            for (Future<String> x : f) answers.add(x.get(10, TimeUnit.SECONDS));
            String tx = answers.get(1).substring(2);
            assertThat(answers.subList(1, 4)).as("one transaction").containsExactly("d@" + tx, "b@" + tx, "c@" + tx);
            assertThat(answers.getFirst()).startsWith("a@").isNotEqualTo("a@" + tx);
            assertThat(held.rows()).containsExactly("a", "b", "c", "d");
            assertThat(held.runs.values()).allMatch(n -> n.get() == 1);
        }
    }

    @Test
    void aMembersFailureRollsItsGroupBackAndEveryMemberRunsAgainAloneWithItsOwnOutcome() throws Exception {
        try (Held held = new Held()) {
            List<Future<String>> f = held.queue(List.of(held.member("b", List.of()),
                    held.member("c", List.of(), () -> {
                        throw new IllegalStateException("c is refused");
                    }), held.member("d", List.of())));
            held.open.countDown();

            assertThat(f.get(0).get(10, TimeUnit.SECONDS)).startsWith("a@");
            String b = f.get(1).get(10, TimeUnit.SECONDS), d = f.get(3).get(10, TimeUnit.SECONDS);
            assertThat(b.substring(2)).as("b and d each alone").isNotEqualTo(d.substring(2));
            assertThatThrownBy(() -> f.get(2).get(10, TimeUnit.SECONDS)).hasRootCauseMessage("c is refused");
            assertThat(held.rows()).containsExactly("a", "b", "d");
            assertThat(held.runs.get("a").get()).isEqualTo(1);
            // Every member's first round trip ran in the group (c fails after it), then each member ran alone.
            assertThat(List.of(held.runs.get("b").get(), held.runs.get("c").get(), held.runs.get("d").get()))
                    .as("in the group, then alone").containsExactly(2, 2, 2);
        }
    }

    @Test
    void aGroupWhoseCommitFailsGivesEveryMemberThatFailureAndRunsNothingTwice() throws Exception {
        try (Held held = new Held()) {
            List<Future<String>> f = held.queue(List.of(held.member("b", List.of()), held.failingAtCommit("c"),
                    held.member("d", List.of())));
            held.open.countDown();

            assertThat(f.get(0).get(10, TimeUnit.SECONDS)).startsWith("a@");
            for (int i = 1; i <= 3; i++) {
                Future<String> member = f.get(i);
                // The outcome of a failed commit is unknown to the server, so nobody's work runs again.
                assertThatThrownBy(() -> member.get(10, TimeUnit.SECONDS)).hasStackTraceContaining("at_commit_pkey");
            }
            assertThat(held.rows()).containsExactly("a");
            assertThat(held.runs.values()).allMatch(n -> n.get() == 1);
        }
    }
}
