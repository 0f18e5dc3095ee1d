package io.tessera.job;

import static io.tessera.testing.Fixtures.count;
import static io.tessera.testing.Fixtures.execute;
import static io.tessera.testing.Fixtures.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.db.Database;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler on the test server's database (H2 and PostgreSQL), with handlers of kinds private to each test, so
 * that the server's own scheduler never takes these tasks.
 */
class SchedulerTest extends ServerPerDatabase {
    private static final Instant T0 = Instant.parse("2031-01-01T00:00:00Z");
    private final List<Scheduler> nodes = new ArrayList<>();
    private String kind;
    private String project;
    private Database db;

    @BeforeEach
    void setUp() {
        kind = "test." + UUID.randomUUID();
        db = server.app().database();
        project = newProjectId(server);
    }

    @AfterEach
    void stopNodes() {
        nodes.forEach(n -> n.close(Duration.ofSeconds(5)));
    }

    private Scheduler node(Clock clock, boolean testClock, TaskHandler handler, Retry retry) {
        Scheduler s = new Scheduler(db, clock, testClock, 50, 4).register(kind, handler, retry);
        nodes.add(s);
        return s;
    }

    private Scheduler node(TaskHandler handler) {
        return node(Clock.systemUTC(), false, handler, Retry.DEFAULT);
    }

    private Enqueued enqueue(Scheduler s, NewTask task, Instant now) {
        return db.transaction(tx -> s.enqueue(tx, task, now));
    }

    private String status(String id) {
        return strings(server, "select status from tasks where id = ?", id).getFirst();
    }

    @Test
    void aTaskEnqueuedInATransactionThatRollsBackDoesNotExist() {
        Scheduler s = node(t -> TaskHandler.Outcome.DONE);
        String[] id = new String[1];
        assertThatThrownBy(() -> db.transaction(tx -> {
            id[0] = s.enqueue(tx, NewTask.now(kind, project, Map.of()), T0).id();
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        assertThat(count(server, "select count(*) from tasks where id = ?", id[0])).isZero();
    }

    @Test
    void aTaskEnqueuedTwiceWithOneKeyExistsOnce() {
        Scheduler s = node(t -> TaskHandler.Outcome.DONE);
        NewTask task = NewTask.at(kind, project, Map.of("run", "r-1"), T0.plusSeconds(60)).withKey("run:r-1");
        Enqueued first = enqueue(s, task, T0);
        Enqueued second = enqueue(s, task, T0);
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(count(server, "select count(*) from tasks where kind = ?", kind)).isEqualTo(1);
    }

    @Test
    void aTaskDueNowRunsAtOnceWhenTheNodeIsWokenAndIsThenDone() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        Scheduler s = node(t -> {
            ran.countDown();
            return TaskHandler.Outcome.DONE;
        });
        s.start();
        Enqueued e = enqueue(s, NewTask.now(kind, project, Map.of()), Instant.now());
        s.wake();
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        awaitStatus(e.id(), "DONE");
    }

    @Test
    void aTaskDueLaterIsNotRunBeforeItsTime() {
        AtomicInteger runs = new AtomicInteger();
        TaskHandler handler = t -> {
            runs.incrementAndGet();
            return TaskHandler.Outcome.DONE;
        };
        Instant now = Instant.now();
        Scheduler early = node(Clock.fixed(now, ZoneOffset.UTC), false, handler, Retry.DEFAULT);
        enqueue(early, NewTask.at(kind, project, Map.of(), now.plus(Duration.ofHours(1))), now);
        assertThat(early.pollOnce()).isZero();
        Scheduler later = node(Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC), false, handler, Retry.DEFAULT);
        assertThat(later.pollOnce()).isEqualTo(1);
    }

    @Test
    void everyTaskRunsExactlyOnceWhenTwoNodesClaimAtTheSameTime() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        TaskHandler handler = t -> {
            runs.computeIfAbsent(t.task().id(), id -> new AtomicInteger()).incrementAndGet();
            return TaskHandler.Outcome.DONE;
        };
        Scheduler a = node(handler);
        Scheduler b = node(handler);
        int tasks = 120;
        db.transaction(tx -> {
            for (int i = 0; i < tasks; i++) a.enqueue(tx, NewTask.now(kind, project, Map.of("i", i)), T0);
            return null;
        });
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger ranByA = new AtomicInteger();
        AtomicInteger ranByB = new AtomicInteger();
        Thread ta = Thread.ofPlatform().start(() -> {
            await(go);
            ranByA.set(a.advance(project, T0));
        });
        Thread tb = Thread.ofPlatform().start(() -> {
            await(go);
            ranByB.set(b.advance(project, T0));
        });
        go.countDown();
        ta.join();
        tb.join();
        assertThat(ranByA.get() + ranByB.get()).isEqualTo(tasks);
        assertThat(runs).hasSize(tasks);
        assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(count(server, "select count(*) from tasks where kind = ? and status = 'DONE'", kind)).isEqualTo(tasks);
    }

    @Test
    void aTaskHeldByADeadNodeIsClaimedAgainOnlyOnceItsLeaseRunsOut() {
        AtomicInteger runs = new AtomicInteger();
        Scheduler s = node(t -> {
            runs.incrementAndGet();
            return TaskHandler.Outcome.DONE;
        });
        Enqueued e = enqueue(s, NewTask.now(kind, project, Map.of()), T0);
        execute(server, "update tasks set lease_owner = 'lease_dead', lease_until = ? where id = ?",
                Timestamp.from(Instant.now().plusSeconds(20)), e.id());
        assertThat(s.advance(project, T0)).isZero();
        execute(server, "update tasks set lease_until = ? where id = ?", Timestamp.from(Instant.now().minusSeconds(1)),
                e.id());
        assertThat(s.advance(project, T0)).isEqualTo(1);
        assertThat(runs.get()).isEqualTo(1);
        assertThat(status(e.id())).isEqualTo("DONE");
    }

    @Test
    void aFailingTaskIsRetriedAfterItsDelayThenMarkedFailedWithItsError() {
        List<String> recorded = new CopyOnWriteArrayList<>();
        Scheduler s = node(Clock.systemUTC(), true, new TaskHandler() {
            @Override
            public Outcome run(RunningTask task) {
                throw new IllegalStateException("receiver down");
            }

            @Override
            public void failed(org.jooq.DSLContext tx, Task task, String error, Instant now) {
                recorded.add(error + " @ " + now);
            }
        }, new Retry(2, Duration.ofMinutes(1)));
        Enqueued e = enqueue(s, NewTask.now(kind, project, Map.of()), T0);

        assertThat(s.advance(project, T0)).isEqualTo(1);
        assertThat(status(e.id())).isEqualTo("PENDING");
        assertThat(strings(server, "select error from tasks where id = ?", e.id())).containsExactly("receiver down");
        assertThat(s.advance(project, T0.plusSeconds(59))).as("not yet due again").isZero();
        assertThat(recorded).isEmpty();

        assertThat(s.advance(project, T0.plusSeconds(60))).isEqualTo(1);
        assertThat(status(e.id())).isEqualTo("FAILED");
        assertThat(count(server, "select attempts from tasks where id = ?", e.id())).isEqualTo(2);
        assertThat(recorded).containsExactly("receiver down @ " + T0.plusSeconds(60));
    }

    @Test
    void workWrittenUnderALostLeaseRollsBackAndLeavesTheTaskToItsNewHolder() {
        Scheduler s = node(t -> {
            // Another node took the task while this one stalled.
            execute(server, "update tasks set lease_owner = 'lease_other', lease_until = ? where id = ?",
                    Timestamp.from(Instant.now().plusSeconds(30)), t.task().id());
            db.transaction(tx -> {
                tx.execute("update tasks set error = 'written under a lost lease' where id = ?", t.task().id());
                t.complete(tx);
                return null;
            });
            return TaskHandler.Outcome.DONE;
        });
        Enqueued e = enqueue(s, NewTask.now(kind, project, Map.of()), T0);
        s.advance(project, T0);
        assertThat(status(e.id())).isEqualTo("PENDING");
        assertThat(strings(server, "select lease_owner from tasks where id = ?", e.id())).containsExactly("lease_other");
        assertThat(strings(server, "select error from tasks where id = ?", e.id())).containsOnlyNulls();
    }

    @Test
    void withTheTestClockThePollerRunsOnlyWorkDueWhenScheduledAndAdvanceRunsTheRestAsOfItsInstant() {
        Map<String, Instant> seen = new ConcurrentHashMap<>();
        CountDownLatch immediateRan = new CountDownLatch(1);
        Scheduler s = node(Clock.systemUTC(), true, t -> {
            seen.put(t.payload().path("name").asText(), t.now());
            if (t.payload().path("name").asText().equals("now")) immediateRan.countDown();
            return TaskHandler.Outcome.DONE;
        }, Retry.DEFAULT);
        // The scenario lives in 2031, years after the real clock: only the work due at once may run in the background.
        enqueue(s, NewTask.now(kind, project, Map.of("name", "now")), T0);
        Enqueued later = enqueue(s, NewTask.at(kind, project, Map.of("name", "later"), T0.plus(Duration.ofDays(30))), T0);

        assertThat(s.pollOnce()).isEqualTo(1);
        await(immediateRan);
        assertThat(seen).containsOnlyKeys("now").containsEntry("now", T0);
        assertThat(s.pollOnce()).isZero();
        assertThat(status(later.id())).isEqualTo("PENDING");

        Instant to = T0.plus(Duration.ofDays(31));
        assertThat(s.advance(project, to)).isEqualTo(1);
        assertThat(seen).containsEntry("later", to);
    }

    @Test
    void advanceRunsTheTasksOfItsProjectOnly() {
        AtomicInteger runs = new AtomicInteger();
        Scheduler s = node(t -> {
            runs.incrementAndGet();
            return TaskHandler.Outcome.DONE;
        });
        String other = newProjectId(server);
        Enqueued theirs = enqueue(s, NewTask.at(kind, other, Map.of(), T0), T0);
        enqueue(s, NewTask.at(kind, project, Map.of(), T0), T0);
        assertThat(s.advance(project, T0.plusSeconds(1))).isEqualTo(1);
        assertThat(status(theirs.id())).isEqualTo("PENDING");
    }

    @Test
    void aTaskPausedByShutdownIsGivenBackWithoutCountingAnAttempt() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        Scheduler s = node(t -> {
            started.countDown();
            await(stop);
            return t.stopping() ? TaskHandler.Outcome.PAUSED : TaskHandler.Outcome.DONE;
        });
        Enqueued e = enqueue(s, NewTask.now(kind, project, Map.of()), Instant.now());
        s.start();
        s.wake();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        Thread closing = Thread.ofPlatform().start(() -> s.close(Duration.ofSeconds(10)));
        Awaitility.await("the scheduler stopping").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                .until(s::stopping);
        stop.countDown();
        closing.join();
        assertThat(status(e.id())).isEqualTo("PENDING");
        assertThat(strings(server, "select lease_owner from tasks where id = ?", e.id())).containsOnlyNulls();
        assertThat(count(server, "select attempts from tasks where id = ?", e.id())).isZero();
    }

    private void awaitStatus(String id, String expected) {
        Awaitility.await("task " + id + " " + expected).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(10)).until(() -> status(id), expected::equals);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new AssertionError("timed out");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String newProjectId(TestServer server) {
        var r = server.call("POST", "/v1/projects", TestServer.ROOT_KEY, Map.of("name", "s-" + UUID.randomUUID()));
        return r.json().get("id").asText();
    }
}
