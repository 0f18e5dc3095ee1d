package io.tessera.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.core.Json;
import io.tessera.core.Keys;
import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A request's fingerprint is stored with its redemption and compared with a retry's, possibly by a later version of
 * the server: the streamed form must hash exactly the text the mapper wrote for the request's parts.
 */
class RequestHashTest {
    private static final String[] TEXTS = {"c-1", "ünïcødé €", "quote\"d", "line\nbreak", "", "<&>"};
    private final Random random = new Random(1202);

    @Test
    void theFingerprintIsTheHashOfTheTextTheMapperWroteForTheRequestsParts() {
        for (int i = 0; i < 500; i++) {
            CheckoutRequest req = request();
            assertThat(RequestHash.of(req)).as(Json.text(req)).isEqualTo(reference(req));
        }
    }

    @Test
    void anyChangeOfTheRequestChangesItsFingerprint() {
        CheckoutRequest req = new CheckoutRequest("c-1", Map.of(), Map.of(), "o-1",
                new Cart("USD", List.of(new CartLine("A", "a", List.of(), 1000, 1, Map.of())), 0), List.of("CODE"),
                Map.of(), false, null);
        CheckoutRequest otherQuantity = new CheckoutRequest("c-1", Map.of(), Map.of(), "o-1",
                new Cart("USD", List.of(new CartLine("A", "a", List.of(), 1000, 2, Map.of())), 0), List.of("CODE"),
                Map.of(), false, null);
        CheckoutRequest withPoints = new CheckoutRequest("c-1", Map.of(), Map.of(), "o-1", req.cart(), List.of("CODE"),
                Map.of(), false, new CheckoutRequest.Loyalty("stars", 500));
        assertThat(RequestHash.of(req)).isNotEqualTo(RequestHash.of(otherQuantity)).isNotEqualTo(RequestHash.of(withPoints));
    }

    /** The fingerprint as the mapper computed it. */
    private static String reference(CheckoutRequest req) {
        Object[] parts = {req.customerId(), req.attributes(), req.consents(), req.orderId(), req.cart(), req.codes(),
                req.context(), req.explain()};
        if (req.loyalty() != null) {
            parts = Arrays.copyOf(parts, parts.length + 1);
            parts[parts.length - 1] = req.loyalty();
        }
        return Keys.hash(Json.text(parts));
    }

    private CheckoutRequest request() {
        List<CartLine> lines = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            List<String> categories = random.nextInt(5) == 0 ? null : List.of(text(), text()).subList(0, random.nextInt(3));
            lines.add(new CartLine(text(), random.nextBoolean() ? null : text(), categories, random.nextInt(100_000),
                    1 + random.nextInt(5), maybe(map(2))));
        }
        Cart cart = random.nextInt(10) == 0 ? null : new Cart(random.nextBoolean() ? "USD" : "EUR", lines, random.nextInt(1000));
        List<String> codes = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) codes.add(text().toUpperCase());
        CheckoutRequest.Loyalty loyalty = random.nextBoolean() ? null
                : new CheckoutRequest.Loyalty(text(), 1 + random.nextInt(1_000_000));
        return new CheckoutRequest(random.nextBoolean() ? null : text(), maybe(map(2)), maybe(map(1)),
                random.nextBoolean() ? null : text(), cart, codes, map(2), random.nextBoolean(), loyalty);
    }

    private Map<String, Object> maybe(Map<String, Object> map) {
        return random.nextInt(3) == 0 ? null : map;
    }

    /** A JSON object as a parsed body gives it: longs, exact decimals, strings, booleans, nulls, lists and objects. */
    private Map<String, Object> map(int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) m.put(text() + i, value(depth));
        return m;
    }

    private Object value(int depth) {
        return switch (random.nextInt(depth > 0 ? 7 : 5)) {
            case 0 -> random.nextLong();
            case 1 -> new BigDecimal(random.nextInt(100_000)).movePointLeft(random.nextInt(4));
            case 2 -> text();
            case 3 -> random.nextBoolean();
            case 4 -> null;
            case 5 -> Arrays.asList(value(depth - 1), text());
            default -> map(depth - 1);
        };
    }

    private String text() {
        return TEXTS[random.nextInt(TEXTS.length)];
    }
}
