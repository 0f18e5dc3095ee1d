package io.tessera.bench;

import io.tessera.discount.Cart;
import io.tessera.discount.CartLine;
import io.tessera.discount.CodeRef;
import io.tessera.discount.Discount;
import io.tessera.discount.Engine;
import io.tessera.discount.Evaluation;
import io.tessera.discount.EvaluationRequest;
import io.tessera.discount.Limits;
import io.tessera.discount.Param;
import io.tessera.discount.Period;
import io.tessera.discount.PeriodLimit;
import io.tessera.discount.Promotion;
import io.tessera.discount.PromotionKind;
import io.tessera.discount.Scope;
import io.tessera.discount.Shopper;
import io.tessera.discount.Stacking;
import io.tessera.discount.Target;
import io.tessera.discount.Usage;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One checkout: a 10-line cart against 100 active automatic promotions of every type, with CEL conditions and
 * selectors, plus 2 listed codes. Run with {@code bench/engine.sh}.
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBenchmark {
    private static final String[] CATEGORIES = {"coffee", "tea", "kitchen", "books", "shoes", "socks", "toys",
        "garden", "tools", "music"};

    private EvaluationRequest checkout;
    private EvaluationRequest explained;

    @Setup
    public void setUp() throws RuleException {
        Rules rules = new Rules();
        List<CartLine> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(new CartLine("SKU-" + i, "product-" + i, List.of(CATEGORIES[i], CATEGORIES[(i + 3) % 10]),
                    500 + 750L * i, 1 + i % 3, Map.of("margin", 100 + 20 * i, "brand", i % 2 == 0 ? "acme" : "zen")));
        }
        Cart cart = new Cart("USD", lines, 495);
        Shopper shopper = new Shopper("c-42", Map.of("country", "DE", "tier", "gold"), List.of("vip", "newsletter"),
                Instant.parse("2025-02-01T00:00:00Z"), 4, 52000);

        List<Promotion> automatic = new ArrayList<>();
        for (int i = 0; i < 100; i++) automatic.add(promotion(rules, i));
        Promotion ten = new Promotion("code-1", "save10", PromotionKind.CODES, true, null, null,
                rules.condition("order.subtotal >= 5000"), new Discount.Percent(fixed(10), fixed(2000), Target.ORDER),
                Stacking.DEFAULT, "USD", new Limits(10000L, null, 1L, null, null, 500000L, null), Map.of(), 1000);
        Promotion ship = new Promotion("code-2", "ship", PromotionKind.CODES, true, null, null, null,
                new Discount.FreeShipping(null), new Stacking(1, false, null), null, Limits.NONE, Map.of(), 1001);
        List<CodeRef> codes = List.of(new CodeRef("SAVE10", ten, true, null, 0, false),
                new CodeRef("SHIP-7K2M", ship, true, "c-42", 0, true));
        Usage usage = (promotion, counter) -> 3;
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        Map<String, Object> context = Map.of("channel", "app", "page", "category/coffee");
        checkout = new EvaluationRequest(cart, shopper, context, now, ZoneId.of("Europe/Berlin"), 5, codes,
                automatic, usage, false);
        explained = new EvaluationRequest(cart, shopper, context, now, ZoneId.of("Europe/Berlin"), 5, codes,
                automatic, usage, true);
        Evaluation check = Engine.evaluate(checkout);
        if (check.applied().size() != 5) throw new IllegalStateException("expected 5 discounts: " + check.applied());
    }

    /**
     * Promotion i: one of nine discount shapes and a condition of one of eight kinds (every source distinct, so no
     * rule is shared between promotions), about half of them holding.
     */
    private static Promotion promotion(Rules rules, int i) throws RuleException {
        String category = CATEGORIES[i % 10];
        String selector = switch (i % 3) {
            case 0 -> "'" + category + "' in item.categories";
            case 1 -> "item.price >= " + (1000 + 500 * (i % 5));
            default -> "item.attributes.brand == '" + (i % 2 == 0 ? "acme" : "zen") + "' && item.quantity >= 1";
        };
        String condition = switch (i % 8) {
            case 0 -> "order.subtotal >= " + (10000 + 1000 * i);
            case 1 -> "'vip' in customer.segments && customer.orders.count >= " + (i % 6);
            case 2 -> "order.items.exists(i, '" + category + "' in i.categories && i.quantity >= 2)";
            case 3 -> "context.channel == '" + (i % 2 == 0 ? "app" : "web")
                    + "' && now < timestamp('2027-01-01T00:00:00Z')";
            case 4 -> "customer.attributes.country == '" + (i % 3 == 0 ? "DE" : "FR") + "'";
            case 5 -> "order.items.all(i, i.price < " + (20000 + i) + ") && order.shipping > 0";
            case 6 -> "customer.isNew || customer.orders.total >= " + 1000 * i;
            default -> "has(context.campaign) && context.campaign == 'tv-" + i + "'";
        };
        Target items = new Target(Scope.ITEMS, rules.selector(selector));
        Discount discount = switch (i % 9) {
            case 0 -> new Discount.Percent(fixed(5 + i % 20), fixed(3000), Target.ORDER);
            case 1 -> new Discount.Percent(fixed(10), null, items);
            case 2 -> new Discount.AmountOff(fixed(500 + 10 * i), items);
            case 3 -> new Discount.FixedPrice(fixed(999), new Target(Scope.EACH_UNIT, rules.selector(selector)));
            case 4 -> new Discount.FreeShipping(fixed(500));
            case 5 -> new Discount.BuyXGetY(rules.selector(selector), 1, rules.selector(selector), 1, fixed(50), 2);
            case 6 -> new Discount.Tiered(Discount.Basis.AMOUNT, List.of(new Discount.Tier(10000, fixed(5), null),
                    new Discount.Tier(30000, fixed(10), null)), Target.ORDER);
            case 7 -> new Discount.Percent(fixed(100), null, new Target(Scope.CHEAPEST, rules.selector(selector)));
            default -> new Discount.AmountOff(new Param.Dynamic(rules.formula(
                    "customer.orders.count > 3 ? 700 : 300")), Target.ORDER);
        };
        Limits limits = i % 4 == 0
                ? new Limits(100000L, null, 3L, null, new PeriodLimit(1000, Period.DAY), 10000000L, null)
                : Limits.NONE;
        Stacking stacking = new Stacking(i % 4, false, i % 10 == 0 ? "group-" + (i % 3) : null);
        return new Promotion("auto-" + i, "auto-" + i, PromotionKind.AUTO, true, null, null,
                rules.condition(condition), discount, stacking, null, limits, Map.of("index", i), i);
    }

    private static Param fixed(long value) {
        return new Param.Fixed(BigDecimal.valueOf(value));
    }

    @Benchmark
    public Evaluation evaluate() {
        return Engine.evaluate(checkout);
    }

    @Benchmark
    public Evaluation evaluateWithExplain() {
        return Engine.evaluate(explained);
    }
}
