package io.tessera.redemption;

import io.tessera.core.ProjectContext;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * Loyalty points as checkout sees them: a program's point value, a member's balance, a spend in the redemption's
 * transaction and its give-back in the rollback's. Implemented by {@code loyalty.LoyaltyService} and wired in
 * {@code Application}, so that {@code redemption} does not depend on {@code loyalty}.
 */
public interface LoyaltyPoints {

    /** A program points can pay with: {@code points} points are worth {@code amount} minor units. */
    record PointsProgram(String id, String name, long points, long amount) {
    }

    /**
     * The program named {@code name}, or a 422 naming {@code loyalty.program} when there is none, it is not a
     * {@code LOYALTY} campaign, it is archived or it has no {@code pointValue}.
     */
    PointsProgram program(ProjectContext p, String name);

    /** The member's spendable points at {@code now} (0 for a customer who never had any). */
    long balance(ProjectContext p, PointsProgram program, String customer, Instant now);

    /**
     * Within {@code tx}, after locking the member: when the balance is at least {@code required}, takes {@code points}
     * from the earliest-expiring buckets and writes a {@code SPEND} naming the redemption; otherwise writes nothing and
     * answers false.
     */
    boolean spend(DSLContext tx, ProjectContext p, PointsProgram program, String customer, long required, long points,
                  String redemptionId, Instant now);

    /** Within {@code tx}: gives back what the redemption spent to the buckets it came from (nothing if it spent none). */
    void giveBack(DSLContext tx, ProjectContext p, String redemptionId, Instant now);
}
