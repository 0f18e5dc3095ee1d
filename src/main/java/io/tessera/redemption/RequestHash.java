package io.tessera.redemption;

import io.tessera.core.Json;
import io.tessera.core.Keys;

/** A fingerprint of a redemption request, to tell a retry (same body) from a misuse of an idempotency key. */
final class RequestHash {
    private RequestHash() {
    }

    static String of(CheckoutRequest req) {
        // Records serialise field by field in declaration order, so equal requests give equal text.
        return Keys.hash(Json.text(new Object[]{req.customerId(), req.attributes(), req.consents(), req.orderId(),
                req.cart(), req.codes(), req.context(), req.explain()}));
    }
}
