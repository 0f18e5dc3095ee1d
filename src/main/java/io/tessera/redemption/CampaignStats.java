package io.tessera.redemption;

import java.util.List;
import java.util.Map;

/** {@code GET /v1/campaigns/{name}/stats}: what stands, what was rolled back, budget left (null without a budget). */
public record CampaignStats(long redemptions, long rolledBack, long discountGiven, long ordersValue, Long budgetLeft,
                            Map<String, Object> codes, List<Map<String, Object>> byDay) {
}
