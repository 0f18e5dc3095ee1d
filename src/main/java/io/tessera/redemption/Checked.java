package io.tessera.redemption;

import io.tessera.discount.Evaluation;
import io.tessera.discount.PointsPayment;
import io.tessera.discount.PricedOrder;
import io.tessera.discount.Reason;

/**
 * A validation's or redemption's answer: the engine's evaluation, then the loyalty points paying part of what is left
 * ({@code points} null when the request pays with none).
 */
public record Checked(Evaluation engine, Points points) {

    /**
     * The points step: {@code paid} when the member holds the points asked for and they pay something; otherwise null,
     * with the {@code refusal} reason and its message.
     */
    public record Points(LoyaltyPoints.PointsProgram program, long requested, PointsPayment paid, Reason refusal,
                         String message) {
        static Points paid(LoyaltyPoints.PointsProgram program, long requested, PointsPayment paid) {
            return new Points(program, requested, paid, null, null);
        }

        static Points refused(LoyaltyPoints.PointsProgram program, long requested, Reason reason, String message) {
            return new Points(program, requested, null, reason, message);
        }
    }

    /** Every listed code applies and the points asked for are paid. */
    public boolean valid() {
        return engine.valid() && (points == null || points.paid() != null);
    }

    /** The order after every discount, points included. */
    public PricedOrder order() {
        return points == null || points.paid() == null ? engine.order() : points.paid().order();
    }
}
