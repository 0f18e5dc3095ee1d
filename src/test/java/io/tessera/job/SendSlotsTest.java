package io.tessera.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.db.Database;
import io.tessera.testing.ServerPerDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one throttle (webhooks and messages use it), on H2 and PostgreSQL. */
class SendSlotsTest extends ServerPerDatabase {
    private static final Instant T0 = Instant.parse("2031-01-01T10:00:00Z");
    private Database db;
    private String project;

    @BeforeEach
    void setUp() {
        db = server.app().database();
        project = SchedulerTest.newProjectId(server);
    }

    private Instant reserve(String lane, int perSecond, Instant now) {
        return SendSlots.reserve(db.dsl(), project, lane, perSecond, now);
    }

    @Test
    void sendsOfOneLaneAreSpacedByOneOverTheRateRoundedUpToAMicrosecond() {
        assertThat(reserve("a", 4, T0)).isEqualTo(T0);
        assertThat(reserve("a", 4, T0)).isEqualTo(T0.plusMillis(250));
        assertThat(reserve("a", 4, T0.plusMillis(100))).isEqualTo(T0.plusMillis(500));
        // 1/3 s is 333,333.3 µs: slots are 333,334 µs apart, so three never fit in one second.
        assertThat(reserve("b", 3, T0)).isEqualTo(T0);
        assertThat(reserve("b", 3, T0)).isEqualTo(T0.plusNanos(333_334_000));
        assertThat(reserve("b", 3, T0)).isEqualTo(T0.plusNanos(666_668_000));
    }

    @Test
    void anIdleLaneGivesTheSlotNowAndBanksNothing() {
        assertThat(reserve("a", 10, T0)).isEqualTo(T0);
        Instant later = T0.plusSeconds(60);
        assertThat(reserve("a", 10, later)).isEqualTo(later);
        assertThat(reserve("a", 10, later)).isEqualTo(later.plusMillis(100));
    }

    @Test
    void lanesAndProjectsHaveSlotsOfTheirOwn() {
        String other = SchedulerTest.newProjectId(server);
        assertThat(reserve("message:email", 1, T0)).isEqualTo(T0);
        assertThat(reserve("message:sms", 1, T0)).isEqualTo(T0);
        assertThat(SendSlots.reserve(db.dsl(), other, "message:email", 1, T0)).isEqualTo(T0);
        assertThat(reserve("message:email", 1, T0)).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void aSlotTakenInATransactionThatRollsBackIsFreeAgain() {
        assertThatThrownBy(() -> db.transaction(tx -> {
            SendSlots.reserve(tx, project, "a", 1, T0);
            throw new IllegalStateException("the send was not scheduled");
        })).hasMessage("the send was not scheduled");
        assertThat(reserve("a", 1, T0)).isEqualTo(T0);
        SendSlots.drop(db.dsl(), project, "a");
        assertThat(reserve("a", 1, T0)).as("a dropped lane starts afresh").isEqualTo(T0);
    }

    @Test
    void concurrentSendersOnManyConnectionsEachGetASlotOfTheirOwn() throws Exception {
        int n = 24;
        Callable<Instant> sender = () -> db.transaction(tx -> SendSlots.reserve(tx, project, "hot", 100, T0));
        List<Callable<Instant>> senders = IntStream.range(0, n).mapToObj(i -> sender).toList();
        List<Instant> slots;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            slots = pool.invokeAll(senders).stream().map(SendSlotsTest::get).sorted().toList();
        }
        assertThat(slots).containsExactlyElementsOf(IntStream.range(0, n)
                .mapToObj(i -> T0.plus(Duration.ofMillis(10L * i))).toList());
    }

    private static Instant get(Future<Instant> f) {
        try {
            return f.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
