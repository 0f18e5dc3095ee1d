package io.tessera.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.tessera.core.Failure;
import io.tessera.db.Database;
import io.tessera.discount.Reason;
import io.tessera.discount.Rejection;
import io.tessera.testing.ServerPerDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on the database of a real server (H2 and PostgreSQL) and a clock the test moves, in the test's own
 * project, where no code exists.
 */
class GuessGuardTest extends ServerPerDatabase {
    private final AtomicLong millis = new AtomicLong(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    private final String apiKey = "key_" + UUID.randomUUID();
    private String project;

    @BeforeEach
    void projectId() {
        project = api().get("/v1/project").json().at("/id").asText();
    }

    private GuessGuard guard(int clientLimit, int keyLimit) {
        Database db = server.app().database();
        return new GuessGuard(db, clientLimit, keyLimit, Duration.ofSeconds(60), clock);
    }

    private GuessGuard.Caller customer(String id) {
        return GuessGuard.Caller.of(project, apiKey, true, id, "10.0.0.1");
    }

    private static List<Rejection> unknown(String... codes) {
        return java.util.Arrays.stream(codes).map(c -> new Rejection(null, c, Reason.CODE_NOT_FOUND, "unknown")).toList();
    }

    /** An admitted request naming {@code codes}, all of which the engine then reports unknown. */
    private static void fail(GuessGuard g, GuessGuard.Caller who, String... codes) {
        g.admit(who, List.of(codes)).settle(unknown(codes));
    }

    private void advanceSeconds(long s) {
        millis.addAndGet(s * 1000);
    }

    @Test
    void aScopeIsHashedAsItAlwaysWasSoCountsStoredBeforeAnUpgradeStillCount() throws Exception {
        // Each part, then a zero byte, as the first builds wrote the scopes of guess_windows.
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (String part : new String[] {"client", "prj_1", "203.0.113.9 é"}) {
            sha.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        assertThat(GuessGuard.hash("client", "prj_1", "203.0.113.9 é"))
                .isEqualTo(java.util.HexFormat.of().formatHex(sha.digest()));
    }

    @Test
    void aClientPastItsLimitWaitsUntilItsOldestFailuresLeaveTheWindow() {
        GuessGuard g = guard(3, 100);
        fail(g, customer("c"), "A1", "A2");
        advanceSeconds(10);
        fail(g, customer("c"), "A3");
        Failure.Throttled refused = catchThrowableOfType(Failure.Throttled.class,
                () -> g.admit(customer("c"), List.of("A4")));
        assertThat(refused.retryAfterSeconds()).isEqualTo(50);
        advanceSeconds(50);
        assertThatCode(() -> g.admit(customer("c"), List.of("A4"))).doesNotThrowAnyException();
    }

    @Test
    void anotherClientOfTheSameKeyIsAdmitted() {
        GuessGuard g = guard(3, 100);
        fail(g, customer("c"), "A1", "A2", "A3");
        assertThatCode(() -> g.admit(customer("d"), List.of("A4"))).doesNotThrowAnyException();
    }

    @Test
    void aKeyIsLimitedAcrossItsClients() {
        GuessGuard g = guard(5, 8);
        for (int i = 0; i < 8; i++) fail(g, customer("c" + i), "A" + i);
        Failure.Throttled refused = catchThrowableOfType(Failure.Throttled.class,
                () -> g.admit(customer("fresh"), List.of("B1")));
        assertThat(refused.retryAfterSeconds()).isEqualTo(60);
    }

    @Test
    void aRequestNamingNoCodeIsNeverRefused() {
        GuessGuard g = guard(1, 1);
        fail(g, customer("c"), "A1");
        assertThatCode(() -> g.admit(customer("c"), List.of())).doesNotThrowAnyException();
    }

    @Test
    void theReservationOfACodeThatTurnedOutToExistIsGivenBack() {
        GuessGuard g = guard(2, 100);
        g.admit(customer("c"), List.of("A1", "A2")).settle(List.of());
        assertThatCode(() -> g.admit(customer("c"), List.of("A3", "A4"))).doesNotThrowAnyException();
    }

    @Test
    void onlyCodeNotFoundRejectionsCount() {
        GuessGuard g = guard(1, 100);
        g.admit(customer("c"), List.of("A1")).settle(List.of(new Rejection(null, "A1", Reason.EXPIRED, "expired")));
        assertThatCode(() -> g.admit(customer("c"), List.of("A2"))).doesNotThrowAnyException();
        assertThat(g.failures()).isZero();
    }

    @Test
    void anAdmittedButUnsettledReservationCountsUntilSettled() {
        GuessGuard g = guard(1, 100);
        g.admit(customer("c"), List.of("A1"));
        assertThat(catchThrowableOfType(Failure.Throttled.class, () -> g.admit(customer("c"), List.of("A2"))))
                .isNotNull();
        assertThat(g.refused()).isEqualTo(1);
    }

    @Test
    void limitsOfZeroTurnTheGuardOff() {
        GuessGuard g = guard(0, 0);
        for (int i = 0; i < 50; i++) fail(g, customer("c"), "A" + i);
        assertThat(g.enabled()).isFalse();
        assertThatCode(() -> g.admit(customer("c"), List.of("B1"))).doesNotThrowAnyException();
    }
}
