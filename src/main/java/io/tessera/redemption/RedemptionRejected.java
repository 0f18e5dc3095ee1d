package io.tessera.redemption;

import io.tessera.discount.Rejection;
import io.tessera.core.Failure;
import java.util.List;
import java.util.Map;

/**
 * A redemption refused by the engine: 422 {@code redemption_rejected}, the problem listing every rejection as
 * {@code rejected[]}. The typed rejections travel with it, so callers (guessing protection) need not read the problem.
 */
public final class RedemptionRejected extends Failure.Refused {
    private final List<Rejection> rejected;
    private final List<String> reasons;

    RedemptionRejected(List<Rejection> rejected) {
        super("redemption_rejected", "code " + rejected.getFirst().code() + " was rejected: "
                + rejected.getFirst().reason().code(), Map.of("rejected", EvaluationView.rejections(rejected)));
        this.rejected = List.copyOf(rejected);
        this.reasons = rejected.stream().map(r -> r.reason().code()).toList();
    }

    /** The loyalty points asked for were refused (every listed code applied). */
    RedemptionRejected(Checked.Points points) {
        super("redemption_rejected", "the loyalty points were rejected: " + points.refusal().code(),
                Map.of("rejected", List.of(EvaluationView.refusal(points))));
        this.rejected = List.of();
        this.reasons = List.of(points.refusal().code());
    }

    /** The API's reason of each refusal (one per rejected code, or the points'), for the rejection counters. */
    List<String> reasons() {
        return reasons;
    }

    public List<Rejection> rejected() {
        return rejected;
    }
}
