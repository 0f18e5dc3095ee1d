package io.tessera.message;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.core.Failure;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The per-channel throttle: each send takes the next free slot of its project and channel, {@code 1 / perSecond}
 * seconds after the previous one. The slot row lives in the database and is taken with a guarded update
 * (compare-and-set), so every server process on the database shares one rate.
 */
final class SendSlots {
    private static final int ATTEMPTS = 50;
    private final Duration interval;

    SendSlots(int perSecond) {
        this.interval = Duration.of(1_000_000L / perSecond, ChronoUnit.MICROS);
    }

    /** Takes the first free slot at or after {@code now} within {@code tx}; returns it. */
    Instant reserve(DSLContext tx, String projectId, String channel, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS); // what the database keeps, so the guard compares equal
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Record r = tx.fetchOptional("select next_at from message_slots where project_id = ? and channel = ?",
                    projectId, channel).orElse(null);
            if (r == null) {
                if (tx.execute("insert into message_slots (project_id, channel, next_at) values (?, ?, ?) "
                        + "on conflict do nothing", projectId, channel, ts(at.plus(interval))) == 1) return at;
                continue; // another sender made the row first
            }
            Instant next = instant(r, "next_at");
            Instant slot = next.isAfter(at) ? next : at;
            if (tx.execute("update message_slots set next_at = ? where project_id = ? and channel = ? and next_at = ?",
                    ts(slot.plus(interval)), projectId, channel, ts(next)) == 1) return slot;
        }
        throw Failure.busy("too much contention on the send slots of channel " + channel);
    }
}
