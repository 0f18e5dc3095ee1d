package io.tessera.discount;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link Engine#evaluate} needs: the order, the customer, the codes the caller listed (in request order),
 * the project's active automatic promotions (in creation order), a snapshot of limit usage, and the instant.
 */
public record EvaluationRequest(Cart cart, Shopper shopper, Map<String, Object> context, Instant now, ZoneId zone,
                                int maxDiscountsPerOrder, List<CodeRef> codes, List<Promotion> automatic, Usage usage,
                                boolean explain) {
}
