package io.tessera.redemption;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.core.Json;
import io.tessera.discount.Applied;
import io.tessera.discount.Discount;
import io.tessera.discount.Evaluation;
import io.tessera.discount.LineDiscount;
import io.tessera.discount.Limits;
import io.tessera.discount.PointsPayment;
import io.tessera.discount.PricedLine;
import io.tessera.discount.PricedOrder;
import io.tessera.discount.Promotion;
import io.tessera.discount.PromotionKind;
import io.tessera.discount.Reason;
import io.tessera.discount.Rejection;
import io.tessera.discount.Stacking;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The answers written straight to the generator are byte for byte what the mapper writes for the same answer built as
 * maps (the shape api.md documents, kept here as the reference): valid and refused, with and without explain, points
 * paid and refused, nulls, names that need escaping, on random evaluations.
 */
class EvaluationViewTest {
    private static final String[] NAMES = {"summer", "x\"quoted\"", "ünïcødé €", "tab\tand\nnewline", "<b>&amp;</b>"};
    private final Random random = new Random(20261202);

    @Test
    void aValidationsAnswerIsWhatTheMapperWritesForTheDocumentedShape() {
        for (int i = 0; i < 500; i++) {
            Checked c = checked();
            boolean explain = random.nextBoolean();
            assertThat(new String(EvaluationView.json(c, explain), StandardCharsets.UTF_8))
                    .isEqualTo(Json.text(reference(c, explain)));
        }
    }

    @Test
    void aRedemptionsAnswerAddsItsIdCustomerAndTimeInMicroseconds() {
        for (int i = 0; i < 200; i++) {
            Checked c = checked();
            boolean explain = random.nextBoolean();
            String customer = random.nextBoolean() ? null : pick(NAMES);
            Instant at = Instant.ofEpochSecond(1_800_000_000L + random.nextInt(1_000_000), random.nextInt(1_000_000_000));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", "red_" + i);
            body.putAll(reference(c, explain));
            body.put("customer", customer);
            body.put("createdAt", at);
            assertThat(EvaluationView.redemption("red_" + i, c, explain, customer, at)).isEqualTo(Json.text(body));
        }
    }

    private Checked checked() {
        List<Applied> applied = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            applied.add(new Applied(promotion(), random.nextBoolean() ? null : pick(NAMES), random.nextInt(5000),
                    random.nextInt(5000), random.nextInt(500), discounts(), List.of(), null));
        }
        Evaluation engine = new Evaluation(random.nextBoolean(), order(), applied, rejections(), rejections());
        Checked.Points points = switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> Checked.Points.paid(program(), 500, new PointsPayment(400, random.nextInt(900), discounts(), order()));
            default -> Checked.Points.refused(program(), 500, Reason.INSUFFICIENT_POINTS, "holds " + pick(NAMES));
        };
        return new Checked(engine, points);
    }

    private LoyaltyPoints.PointsProgram program() {
        return new LoyaltyPoints.PointsProgram("cmp_p", pick(NAMES), 100, 1);
    }

    private Promotion promotion() {
        Discount d = random.nextBoolean() ? new Discount.FreeShipping(null)
                : new Discount.FreeItem("SKU", 1, 100, null, List.of());
        return new Promotion("cmp_" + random.nextInt(100), pick(NAMES), PromotionKind.CODES, true, null, null, null, d,
                Stacking.DEFAULT, null, Limits.NONE, Map.of(), 1);
    }

    private PricedOrder order() {
        List<PricedLine> lines = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            lines.add(new PricedLine(pick(NAMES), 1 + random.nextInt(3), random.nextInt(100_000), random.nextInt(100_000),
                    random.nextInt(1000), random.nextLong(Long.MAX_VALUE), random.nextBoolean()));
        }
        return new PricedOrder(random.nextBoolean() ? "USD" : "EUR", random.nextInt(1_000_000), random.nextInt(1000),
                random.nextInt(1000), random.nextInt(100), random.nextInt(1_000_000), lines);
    }

    private List<LineDiscount> discounts() {
        List<LineDiscount> out = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) out.add(new LineDiscount(i, pick(NAMES), random.nextInt(1000)));
        return out;
    }

    private List<Rejection> rejections() {
        List<Rejection> out = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            out.add(new Rejection(random.nextBoolean() ? null : promotion(), random.nextBoolean() ? null : pick(NAMES),
                    Reason.values()[random.nextInt(Reason.values().length)], pick(NAMES)));
        }
        return out;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** The answer as documented, built as maps (how it was written before it was streamed). */
    private static Map<String, Object> reference(Checked c, boolean explain) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", c.valid());
        m.put("order", order(c.order()));
        List<Map<String, Object>> applied = new ArrayList<>();
        for (Applied a : c.engine().applied()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("campaign", a.promotion().name());
            x.put("code", a.code());
            x.put("type", a.promotion().discount().type());
            x.put("discount", a.discount());
            x.put("shippingDiscount", a.shippingDiscount());
            x.put("items", lines(a.items()));
            applied.add(x);
        }
        if (c.points() != null && c.points().paid() != null) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("campaign", c.points().program().name());
            x.put("code", null);
            x.put("type", "POINTS");
            x.put("discount", c.points().paid().discount());
            x.put("shippingDiscount", 0);
            x.put("points", c.points().paid().points());
            x.put("items", lines(c.points().paid().items()));
            applied.add(x);
        }
        m.put("applied", applied);
        List<Map<String, Object>> rejected = EvaluationView.rejections(c.engine().rejected());
        if (c.points() != null && c.points().paid() == null) rejected.add(EvaluationView.refusal(c.points()));
        m.put("rejected", rejected);
        if (explain) m.put("notApplied", EvaluationView.rejections(c.engine().notApplied()));
        return m;
    }

    private static Map<String, Object> order(PricedOrder o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("currency", o.currency());
        m.put("subtotal", o.subtotal());
        m.put("shipping", o.shipping());
        m.put("discount", o.discount());
        m.put("shippingDiscount", o.shippingDiscount());
        m.put("total", o.total());
        List<Map<String, Object>> items = new ArrayList<>();
        for (PricedLine l : o.items()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("sku", l.sku());
            i.put("quantity", l.quantity());
            i.put("price", l.price());
            i.put("amount", l.amount());
            i.put("discount", l.discount());
            i.put("total", l.total());
            i.put("added", l.added());
            items.add(i);
        }
        m.put("items", items);
        return m;
    }

    private static List<Map<String, Object>> lines(List<LineDiscount> discounts) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (LineDiscount d : discounts) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("sku", d.sku());
            i.put("discount", d.discount());
            items.add(i);
        }
        return items;
    }
}
