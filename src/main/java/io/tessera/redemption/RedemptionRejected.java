package io.tessera.redemption;

import io.tessera.discount.Rejection;
import io.tessera.http.ApiException;
import java.util.List;
import java.util.Map;

/**
 * A redemption refused by the engine: 422 {@code redemption_rejected}, the problem listing every rejection as
 * {@code rejected[]}. The typed rejections travel with it, so callers (guessing protection) need not read the problem.
 */
public final class RedemptionRejected extends ApiException {
    private final List<Rejection> rejected;

    RedemptionRejected(List<Rejection> rejected) {
        super(422, "redemption_rejected", "code " + rejected.getFirst().code() + " was rejected: "
                + rejected.getFirst().reason().code(), List.of(), Map.of("rejected", EvaluationView.rejections(rejected)));
        this.rejected = List.copyOf(rejected);
    }

    public List<Rejection> rejected() {
        return rejected;
    }
}
