package io.tessera.redemption;

import io.tessera.core.Json;
import io.tessera.core.Keys;

/** A fingerprint of a redemption request, to tell a retry (same body) from a misuse of an idempotency key. */
final class RequestHash {
    private RequestHash() {
    }

    static String of(CheckoutRequest req) {
        // Records serialise field by field in declaration order, so equal requests give equal text. Points are added
        // only when asked for, so the fingerprints of requests without them stay what they were before points.
        Object[] parts = {req.customerId(), req.attributes(), req.consents(), req.orderId(), req.cart(), req.codes(),
                req.context(), req.explain()};
        if (req.loyalty() != null) {
            parts = java.util.Arrays.copyOf(parts, parts.length + 1);
            parts[parts.length - 1] = req.loyalty();
        }
        return Keys.hash(Json.text(parts));
    }
}
