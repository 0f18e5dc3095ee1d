package io.tessera.load;

import io.tessera.core.Json;

/**
 * The request bodies of the checkout scenarios, as text: the cart and the customer's attributes are written once,
 * so building a request costs the client next to nothing (it shares the machine with the server).
 */
final class Checkout {
    private static final String ORDER = new String(Json.bytes(Fixture.order()), java.nio.charset.StandardCharsets.UTF_8);
    private static final String ATTRIBUTES = Json.text(Fixture.customer("x").get("attributes"));

    private Checkout() {
    }

    /** A validation, redemption or qualification body for this customer; {@code code} may be null. */
    static byte[] body(String customer, String code, boolean nearMiss) {
        StringBuilder b = new StringBuilder(ORDER.length() + 200)
                .append("{\"customer\":{\"id\":\"").append(customer).append("\",\"attributes\":").append(ATTRIBUTES)
                .append("},\"order\":").append(ORDER).append(",\"context\":{\"channel\":\"web\"}");
        if (code != null) b.append(",\"codes\":[\"").append(code).append("\"]");
        if (nearMiss) b.append(",\"nearMiss\":true");
        return b.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
