package io.tessera.redemption;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tessera.core.Json;
import io.tessera.discount.Applied;
import io.tessera.discount.Evaluation;
import io.tessera.discount.LineDiscount;
import io.tessera.discount.PointsPayment;
import io.tessera.discount.PricedLine;
import io.tessera.discount.PricedOrder;
import io.tessera.discount.Rejection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a validation answer (and of a redemption, which adds its id, customer and time), written straight to a
 * generator: it is built for every checkout, and maps written through the mapper cost twice the CPU.
 */
public final class EvaluationView {
    private EvaluationView() {
    }

    /** A validation's answer. */
    public static byte[] json(Checked c, boolean explain) {
        return Json.write(g -> {
            g.writeStartObject();
            fields(g, c, explain);
            g.writeEndObject();
        });
    }

    /** A redemption's answer, stored as it is sent: its id, the evaluation, the customer and when it was made. */
    static String redemption(String id, Checked c, boolean explain, String customer, Instant createdAt) {
        return new String(Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            fields(g, c, explain);
            g.writeStringField("customer", customer);
            g.writePOJOField("createdAt", createdAt);
            g.writeEndObject();
        }), StandardCharsets.UTF_8);
    }

    private static void fields(JsonGenerator g, Checked c, boolean explain) throws IOException {
        Evaluation e = c.engine();
        g.writeBooleanField("valid", c.valid());
        g.writeFieldName("order");
        order(g, c.order());
        g.writeArrayFieldStart("applied");
        for (Applied a : e.applied()) applied(g, a);
        if (c.points() != null && c.points().paid() != null) points(g, c.points());
        g.writeEndArray();
        List<Map<String, Object>> rejected = rejections(e.rejected());
        if (c.points() != null && c.points().paid() == null) rejected.add(refusal(c.points()));
        g.writePOJOField("rejected", rejected);
        if (explain) g.writePOJOField("notApplied", rejections(e.notApplied()));
    }

    /** Points paying part of the order: listed in {@code applied} as the program's {@code POINTS} entry. */
    private static void points(JsonGenerator g, Checked.Points p) throws IOException {
        PointsPayment paid = p.paid();
        g.writeStartObject();
        g.writeStringField("campaign", p.program().name());
        g.writeNullField("code");
        g.writeStringField("type", "POINTS");
        g.writeNumberField("discount", paid.discount());
        g.writeNumberField("shippingDiscount", 0);
        g.writeNumberField("points", paid.points());
        lines(g, paid.items());
        g.writeEndObject();
    }

    private static void order(JsonGenerator g, PricedOrder o) throws IOException {
        g.writeStartObject();
        g.writeStringField("currency", o.currency());
        g.writeNumberField("subtotal", o.subtotal());
        g.writeNumberField("shipping", o.shipping());
        g.writeNumberField("discount", o.discount());
        g.writeNumberField("shippingDiscount", o.shippingDiscount());
        g.writeNumberField("total", o.total());
        g.writeArrayFieldStart("items");
        for (PricedLine l : o.items()) {
            g.writeStartObject();
            g.writeStringField("sku", l.sku());
            g.writeNumberField("quantity", l.quantity());
            g.writeNumberField("price", l.price());
            g.writeNumberField("amount", l.amount());
            g.writeNumberField("discount", l.discount());
            g.writeNumberField("total", l.total());
            g.writeBooleanField("added", l.added());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void applied(JsonGenerator g, Applied a) throws IOException {
        g.writeStartObject();
        g.writeStringField("campaign", a.promotion().name());
        g.writeStringField("code", a.code());
        g.writeStringField("type", a.promotion().discount().type());
        g.writeNumberField("discount", a.discount());
        g.writeNumberField("shippingDiscount", a.shippingDiscount());
        lines(g, a.items());
        g.writeEndObject();
    }

    /** The {@code items} field: each line's share of a discount. */
    private static void lines(JsonGenerator g, List<LineDiscount> discounts) throws IOException {
        g.writeArrayFieldStart("items");
        for (LineDiscount d : discounts) {
            g.writeStartObject();
            g.writeStringField("sku", d.sku());
            g.writeNumberField("discount", d.discount());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Points refused (the member holds too few, or they pay nothing), as an entry of {@code rejected}. */
    static Map<String, Object> refusal(Checked.Points p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", null);
        m.put("campaign", p.program().name());
        m.put("reason", p.refusal().code());
        m.put("message", p.message());
        return m;
    }

    static List<Map<String, Object>> rejections(List<Rejection> rejections) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Rejection r : rejections) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("code", r.code());
            m.put("campaign", r.promotion() == null ? null : r.promotion().name());
            m.put("reason", r.reason().code());
            m.put("message", r.message());
            out.add(m);
        }
        return out;
    }
}
