package io.tessera.job;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The one throttle of work sent at a rate (a webhook's deliveries, a project's messages on one channel): each send
 * takes the next free slot of its lane, {@code 1/perSecond} s after the previous one. A lane's row in
 * {@code send_slots} holds the instant from which its next slot is free and is moved with a guarded update
 * (compare-and-set), so the rate holds across every node on the database and no lock is held while sending. A slot
 * in the future is for the caller to run at: it schedules its task due then, instead of holding a worker.
 */
public final class SendSlots {
    private static final int ATTEMPTS = 50;

    private SendSlots() {
    }

    /**
     * Takes the first free slot of {@code lane} (unique within the project) at or after {@code now}, through
     * {@code dsl} (a transaction's, or the database's for a statement of its own); returns it.
     */
    public static Instant reserve(DSLContext dsl, String projectId, String lane, int perSecond, Instant now) {
        Duration gap = gap(perSecond);
        Instant at = now.truncatedTo(ChronoUnit.MICROS); // what the database keeps, so the guard compares equal
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Record r = dsl.fetchOptional("select next_at from send_slots where project_id = ? and lane = ?",
                    projectId, lane).orElse(null);
            if (r == null) {
                if (dsl.execute("insert into send_slots (project_id, lane, next_at) values (?, ?, ?) "
                        + "on conflict do nothing", projectId, lane, ts(at.plus(gap))) == 1) return at;
                continue; // another sender made the row first
            }
            Instant next = instant(r, "next_at");
            Instant slot = next.isAfter(at) ? next : at;
            if (dsl.execute("update send_slots set next_at = ? where project_id = ? and lane = ? and next_at = ?",
                    ts(slot.plus(gap)), projectId, lane, ts(next)) == 1) return slot;
        }
        throw new IllegalStateException("too much contention on the send slots of " + lane);
    }

    /** Forgets the lane (its webhook was deleted). */
    public static void drop(DSLContext tx, String projectId, String lane) {
        tx.execute("delete from send_slots where project_id = ? and lane = ?", projectId, lane);
    }

    /** {@code 1/perSecond} s rounded up to what the database keeps (microseconds): the rate is never exceeded. */
    static Duration gap(int perSecond) {
        if (perSecond < 1) throw new IllegalArgumentException("perSecond must be at least 1, got " + perSecond);
        return Duration.of((1_000_000L + perSecond - 1) / perSecond, ChronoUnit.MICROS);
    }
}
