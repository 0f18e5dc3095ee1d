package io.tessera.redemption;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.campaign.CampaignParser;
import io.tessera.discount.Cart;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.order.CartInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The body of a validation, redemption or qualification: who (a customer id, a customer object to upsert, or
 * nobody), the order, the codes (normalised upper-case, duplicates dropped), the free context map, and the loyalty
 * points to pay with (validations and redemptions only; null when none).
 */
public record CheckoutRequest(String customerId, Map<String, Object> attributes, Map<String, Object> consents,
                              String orderId, Cart cart, List<String> codes, Map<String, Object> context,
                              boolean explain, Loyalty loyalty) {
    public static final int MAX_CODES = 20;
    /** The most points one request may pay with (the ledger's own ceiling). */
    static final long MAX_POINTS = 1_000_000_000_000L;
    private static final Set<String> CHECKOUT_FIELDS = Set.of("customer", "order", "codes", "context", "explain", "loyalty");
    private static final Set<String> QUALIFICATION_FIELDS = Set.of("customer", "order", "context", "explain", "locale",
            "nearMiss");
    private static final Set<String> CUSTOMER_FIELDS = Set.of("id", "attributes", "consents");
    private static final Set<String> ORDER_FIELDS = Set.of("id", "currency", "items", "shipping");

    /** {@code "loyalty": {"program": "stars", "points": 500}}: pay part of the order with that program's points. */
    public record Loyalty(String program, long points) {
    }

    public static CheckoutRequest read(Input in, boolean codesAllowed) {
        // Without codes: a qualification, which may also name the storefront's locale and ask for near misses, and may
        // leave the order out (a visitor on a category page: the cart is empty).
        in.allow(codesAllowed ? CHECKOUT_FIELDS : QUALIFICATION_FIELDS);
        String customerId = null;
        Map<String, Object> attributes = null, consents = null;
        JsonNode c = in.raw("customer");
        if (c != null) {
            if (c.isTextual()) {
                customerId = c.textValue();
                if (!Checks.ID.matcher(customerId).matches()) in.fail("customer", "is not a valid customer id");
            } else if (c.isObject()) {
                Input ci = in.object("customer", true).allow(CUSTOMER_FIELDS);
                customerId = ci.string("id", true, Checks.ID, "1-128 characters without spaces, '/', '?' or '#'");
                attributes = ci.map("attributes");
                consents = ci.map("consents");
            } else {
                in.fail("customer", "must be a customer id or an object with an id");
            }
        }
        Input o = in.object("order", codesAllowed);
        Cart cart = null;
        String orderId = null;
        if (o != null) {
            o.allow(ORDER_FIELDS);
            orderId = o.string("id", false);
            cart = CartInput.read(o);
        }
        List<String> codes = new ArrayList<>();
        List<String> raw = codesAllowed ? in.strings("codes", false) : null;
        if (raw != null) {
            if (raw.size() > MAX_CODES) in.fail("codes", "at most " + MAX_CODES + " codes");
            for (int i = 0; i < raw.size(); i++) {
                String code = raw.get(i).trim();
                if (!CampaignParser.CODE.matcher(code).matches()) {
                    in.fail("codes[" + i + "]", "is not a valid code");
                    continue;
                }
                code = code.toUpperCase(Locale.ROOT);
                if (!codes.contains(code)) codes.add(code);
            }
        }
        Map<String, Object> context = in.map("context");
        Boolean explain = in.bool("explain", false);
        Loyalty loyalty = null;
        Input l = codesAllowed ? in.object("loyalty", false) : null;
        if (l != null) {
            l.allow(Set.of("program", "points"));
            String program = l.string("program", true);
            Long points = l.integer("points", true, 1, MAX_POINTS);
            if (customerId == null) in.fail("customer", "is required to pay with loyalty points");
            if (program != null && points != null) loyalty = new Loyalty(program, points);
        }
        in.check();
        return new CheckoutRequest(customerId, attributes, consents, orderId, cart, List.copyOf(codes),
                context == null ? Map.of() : context, explain != null && explain, loyalty);
    }
}
