package io.tessera.discount;

import io.tessera.rule.Condition;
import io.tessera.rule.Formula;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import io.tessera.rule.Selector;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builders that keep engine tests short: promotions, carts, codes and requests. */
final class Fixtures {
    static final Rules RULES = new Rules();
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final Shopper C1 = new Shopper("c-1", Map.of(), List.of(), Instant.parse("2025-01-01T00:00:00Z"), 0, 0);

    private Fixtures() {
    }

    static Condition condition(String source) {
        try {
            return RULES.condition(source);
        } catch (RuleException e) {
            throw new AssertionError(e);
        }
    }

    static Selector selector(String source) {
        try {
            return RULES.selector(source);
        } catch (RuleException e) {
            throw new AssertionError(e);
        }
    }

    static Param fixed(double value) {
        return new Param.Fixed(BigDecimal.valueOf(value));
    }

    static Param fixed(long value) {
        return new Param.Fixed(BigDecimal.valueOf(value));
    }

    static Param formula(String source) {
        try {
            Formula f = RULES.formula(source);
            return new Param.Dynamic(f);
        } catch (RuleException e) {
            throw new AssertionError(e);
        }
    }

    static Target target(Scope scope) {
        return new Target(scope, null);
    }

    static Target target(Scope scope, String selector) {
        return new Target(scope, selector(selector));
    }

    static Discount percent(double percent) {
        return new Discount.Percent(fixed(percent), null, Target.ORDER);
    }

    static Discount amount(long amount) {
        return new Discount.AmountOff(fixed(amount), Target.ORDER);
    }

    static CartLine line(String sku, long price, long quantity, String... categories) {
        return new CartLine(sku, sku.toLowerCase(), List.of(categories), price, quantity, Map.of());
    }

    static Cart cart(long shipping, CartLine... lines) {
        return new Cart("USD", List.of(lines), shipping);
    }

    static Cart cart(CartLine... lines) {
        return cart(0, lines);
    }

    static CodeRef code(String code, Promotion promotion) {
        return new CodeRef(code, promotion, true, null, 0, false);
    }

    static PromotionBuilder promo(String name, Discount discount) {
        return new PromotionBuilder(name, discount);
    }

    static RequestBuilder request(Cart cart) {
        return new RequestBuilder(cart);
    }

    /** A promotion with the defaults of api.md: active, no dates, no condition, no limits, priority 0. */
    static final class PromotionBuilder {
        private static long sequence;
        private final String name;
        private final Discount discount;
        private PromotionKind kind = PromotionKind.CODES;
        private boolean active = true;
        private Instant startsAt;
        private Instant endsAt;
        private Condition condition;
        private Stacking stacking = Stacking.DEFAULT;
        private String currency;
        private Limits limits = Limits.NONE;
        private Map<String, Object> metadata = Map.of();
        private long seq = ++sequence;

        PromotionBuilder(String name, Discount discount) {
            this.name = name;
            this.discount = discount;
        }

        PromotionBuilder kind(PromotionKind k) {
            kind = k;
            return this;
        }

        PromotionBuilder auto() {
            return kind(PromotionKind.AUTO);
        }

        PromotionBuilder inactive() {
            active = false;
            return this;
        }

        PromotionBuilder between(String from, String to) {
            startsAt = from == null ? null : Instant.parse(from);
            endsAt = to == null ? null : Instant.parse(to);
            return this;
        }

        PromotionBuilder when(String cel) {
            condition = condition(cel);
            return this;
        }

        PromotionBuilder priority(int priority) {
            stacking = new Stacking(priority, stacking.exclusive(), stacking.group());
            return this;
        }

        PromotionBuilder exclusive() {
            stacking = new Stacking(stacking.priority(), true, stacking.group());
            return this;
        }

        PromotionBuilder group(String group) {
            stacking = new Stacking(stacking.priority(), stacking.exclusive(), group);
            return this;
        }

        PromotionBuilder currency(String c) {
            currency = c;
            return this;
        }

        PromotionBuilder limits(Limits l) {
            limits = l;
            return this;
        }

        PromotionBuilder metadata(Map<String, Object> m) {
            metadata = m;
            return this;
        }

        PromotionBuilder sequence(long s) {
            seq = s;
            return this;
        }

        Promotion build() {
            return new Promotion("id-" + name, name, kind, active, startsAt, endsAt, condition, discount, stacking,
                    currency, limits, metadata, seq);
        }
    }

    static final class RequestBuilder {
        private final Cart cart;
        private Shopper shopper = C1;
        private Map<String, Object> context = Map.of();
        private Instant now = NOW;
        private int max = 5;
        private final List<CodeRef> codes = new ArrayList<>();
        private final List<Promotion> automatic = new ArrayList<>();
        private Usage usage = Usage.NONE;
        private boolean explain;

        RequestBuilder(Cart cart) {
            this.cart = cart;
        }

        RequestBuilder shopper(Shopper s) {
            shopper = s;
            return this;
        }

        RequestBuilder anonymous() {
            return shopper(Shopper.ANONYMOUS);
        }

        RequestBuilder context(Map<String, Object> c) {
            context = c;
            return this;
        }

        RequestBuilder at(String instant) {
            now = Instant.parse(instant);
            return this;
        }

        RequestBuilder maxDiscounts(int n) {
            max = n;
            return this;
        }

        RequestBuilder codes(CodeRef... refs) {
            codes.addAll(Arrays.asList(refs));
            return this;
        }

        /** Each promotion listed under a code named like it, upper-cased. */
        RequestBuilder codes(Promotion... promotions) {
            for (Promotion p : promotions) codes.add(code(p.name().toUpperCase(), p));
            return this;
        }

        RequestBuilder automatic(Promotion... promotions) {
            automatic.addAll(Arrays.asList(promotions));
            return this;
        }

        RequestBuilder usage(Usage u) {
            usage = u;
            return this;
        }

        RequestBuilder explain() {
            explain = true;
            return this;
        }

        EvaluationRequest build() {
            return new EvaluationRequest(cart, shopper, context, now, ZoneOffset.UTC, max, codes, automatic, usage,
                    explain);
        }

        Evaluation evaluate() {
            return Engine.evaluate(build());
        }
    }

    /** The discount of the priced line with this SKU. */
    static long lineDiscount(Evaluation e, String sku) {
        return e.order().items().stream().filter(l -> l.sku().equals(sku)).mapToLong(PricedLine::discount).sum();
    }
}
