package io.tessera.campaign;

/**
 * The {@code referral} section of a {@code REFERRAL} campaign: what the referrer gets when a referee converts. Parsed
 * by {@link CampaignParser} (the names it refers to are checked by {@link CampaignService} against the project); the
 * referral feature reads it.
 *
 * @param conversion what converts a referee; {@code order_paid} (the referee's first paid order) is the only one
 */
public record ReferralSettings(Reward referrerReward, String conversion) {
    public static final String ORDER_PAID = "order_paid";
    static final long MAX_POINTS = 1_000_000_000_000L;

    /** The referrer's reward, once per referee. */
    public sealed interface Reward {
    }

    /** {@code points} points credited in the LOYALTY campaign {@code program}, counted as earned. */
    public record Points(long points, String program) implements Reward {
    }

    /** A code of the CODES campaign {@code campaign} (UNIQUE codes), published to the referrer. */
    public record Code(String campaign) implements Reward {
    }
}
