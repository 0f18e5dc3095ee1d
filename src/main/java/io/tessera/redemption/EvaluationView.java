package io.tessera.redemption;

import io.tessera.discount.Applied;
import io.tessera.discount.Evaluation;
import io.tessera.discount.LineDiscount;
import io.tessera.discount.PointsPayment;
import io.tessera.discount.PricedLine;
import io.tessera.discount.PricedOrder;
import io.tessera.discount.Rejection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shape of a validation answer (and of a redemption, which adds its id). */
public final class EvaluationView {
    private EvaluationView() {
    }

    public static Map<String, Object> of(Checked c, boolean explain) {
        Evaluation e = c.engine();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("valid", c.valid());
        m.put("order", order(c.order()));
        List<Map<String, Object>> applied = new ArrayList<>();
        for (Applied a : e.applied()) applied.add(applied(a));
        if (c.points() != null && c.points().paid() != null) applied.add(points(c.points()));
        m.put("applied", applied);
        List<Map<String, Object>> rejected = rejections(e.rejected());
        if (c.points() != null && c.points().paid() == null) rejected.add(refusal(c.points()));
        m.put("rejected", rejected);
        if (explain) m.put("notApplied", rejections(e.notApplied()));
        return m;
    }

    /** Points paying part of the order: listed in {@code applied} as the program's {@code POINTS} entry. */
    private static Map<String, Object> points(Checked.Points p) {
        PointsPayment paid = p.paid();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", p.program().name());
        m.put("code", null);
        m.put("type", "POINTS");
        m.put("discount", paid.discount());
        m.put("shippingDiscount", 0);
        m.put("points", paid.points());
        m.put("items", lines(paid.items()));
        return m;
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

    static Map<String, Object> order(PricedOrder o) {
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

    private static Map<String, Object> applied(Applied a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("campaign", a.promotion().name());
        m.put("code", a.code());
        m.put("type", a.promotion().discount().type());
        m.put("discount", a.discount());
        m.put("shippingDiscount", a.shippingDiscount());
        m.put("items", lines(a.items()));
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
