package io.tessera.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.campaign.CodePattern;
import io.tessera.discount.Discount;
import io.tessera.discount.Limits;
import io.tessera.discount.Param;
import io.tessera.discount.Period;
import io.tessera.discount.PeriodLimit;
import io.tessera.discount.Promotion;
import io.tessera.discount.PromotionKind;
import io.tessera.discount.Scope;
import io.tessera.discount.Stacking;
import io.tessera.discount.Target;
import io.tessera.core.Checks;
import io.tessera.core.Input;
import io.tessera.rule.Condition;
import io.tessera.rule.Formula;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import io.tessera.rule.Selector;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a campaign definition and compiles it for the engine. Every CEL expression is compiled and type-checked
 * here, at save time, so a bad expression is a 422 naming its field and never a checkout error.
 */
public final class CampaignParser {
    public static final String DEFAULT_CHARSET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    static final Set<String> FIELDS = Set.of("name", "type", "active", "startsAt", "endsAt", "codes", "condition",
            "discount", "limits", "stacking", "currency", "metadata", "loyalty", "referral", "display");
    private static final BigDecimal MAX_MULTIPLIER = BigDecimal.valueOf(100);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private final Rules rules;

    public CampaignParser(Rules rules) {
        this.rules = rules;
    }

    /** A validated definition: the canonical JSON to store, and the compiled promotion (id and sequence unset). */
    public record Parsed(ObjectNode definition, Promotion promotion, CodeSetup codes, LoyaltySettings loyalty,
                         ReferralSettings referral) {
    }

    /** How a campaign's codes are made: one universal code, or {@code count} unique codes from a pattern. */
    public record CodeSetup(boolean unique, String code, String pattern, String charset, long count) {
    }

    /** Validates {@code body}; problems are collected in {@code in} (call {@link Input#check()} afterwards). */
    public Parsed parse(Input in, String id, long sequence) {
        in.allow(FIELDS);
        String name = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
        String typeText = in.string("type", true);
        PromotionKind kind = null;
        if (typeText != null) {
            try {
                kind = PromotionKind.valueOf(typeText);
            } catch (IllegalArgumentException e) {
                in.fail("type", "must be CODES, AUTO, LOYALTY or REFERRAL");
            }
        }
        Boolean active = in.bool("active", false);
        Instant startsAt = Checks.instant(in, "startsAt");
        Instant endsAt = Checks.instant(in, "endsAt");
        if (startsAt != null && endsAt != null && !endsAt.isAfter(startsAt)) in.fail("endsAt", "must be after startsAt");
        String currency = Checks.currency(in, "currency", false);
        CodeSetup codes = null;
        Condition condition = null;
        Discount discount = null;
        Limits limits = Limits.NONE;
        Stacking stacking = Stacking.DEFAULT;
        LoyaltySettings loyalty = null;
        ReferralSettings referral = null;
        if (kind != PromotionKind.REFERRAL && in.has("referral")) {
            in.fail("referral", "only REFERRAL campaigns have a referral section");
        }
        if (kind == PromotionKind.LOYALTY) {
            // A program earns and spends points: it has no codes, no discount and no checkout limits of its own.
            for (String f : List.of("codes", "condition", "discount", "limits", "stacking")) {
                if (in.has(f)) in.fail(f, "a LOYALTY campaign has no " + f);
            }
            loyalty = loyalty(in);
        } else {
            if (in.has("loyalty")) in.fail("loyalty", "only LOYALTY campaigns have a loyalty section");
            codes = codes(in, kind);
            if (kind == PromotionKind.REFERRAL) {
                // Each referrer shares a code of their own: the code names the referrer when a referee redeems it.
                if (codes != null && !codes.unique()) in.fail("codes.mode", "a REFERRAL campaign has UNIQUE codes");
                referral = referral(in);
            }
            condition = compile(in, "condition", rules::condition);
            discount = discount(in, currency);
            limits = limits(in);
            // Referral codes exist to be shared: no per-code limit unless perCode is set.
            if (kind == PromotionKind.REFERRAL && limits.perCode() == null) limits = limits.withPerCode(Limits.UNLIMITED);
            stacking = stacking(in);
        }
        Map<String, Object> metadata = in.map("metadata");
        Display.read(in);
        if (!in.ok()) return null;

        ObjectNode def = in.node().deepCopy();
        def.retain(FIELDS);
        def.put("active", active == null || active);
        if (codes != null) {
            ObjectNode c = def.putObject("codes");
            if (codes.unique()) {
                c.put("mode", "UNIQUE").put("pattern", codes.pattern()).put("charset", codes.charset())
                        .put("count", codes.count());
            } else {
                c.put("mode", "UNIVERSAL").put("code", codes.code());
            }
        }
        Promotion p = new Promotion(id, name, kind, active == null || active, startsAt, endsAt, condition, discount,
                stacking, currency, limits, metadata == null ? Map.of() : Map.copyOf(metadata), sequence);
        return new Parsed(def, p, codes, loyalty, referral);
    }

    private static ReferralSettings referral(Input in) {
        Input r = in.object("referral", true);
        if (r == null) return null;
        r.allow(Set.of("referrerReward", "conversion"));
        String conversion = r.string("conversion", false);
        if (conversion != null && !conversion.equals(ReferralSettings.ORDER_PAID)) r.fail("conversion", "must be order_paid");
        Input w = r.object("referrerReward", true);
        if (w == null) return null;
        w.allow(Set.of("points", "program", "campaign"));
        ReferralSettings.Reward reward = null;
        if (w.has("campaign")) {
            if (w.has("points") || w.has("program")) {
                w.failHere("a reward is points of a program or a code of a campaign, not both");
                return null;
            }
            String campaign = w.string("campaign", true, Checks.NAME, Checks.NAME_RULE);
            if (campaign != null) reward = new ReferralSettings.Code(campaign);
        } else {
            Long points = w.integer("points", true, 1, ReferralSettings.MAX_POINTS);
            String program = w.string("program", true, Checks.NAME, Checks.NAME_RULE);
            if (points != null && program != null) reward = new ReferralSettings.Points(points, program);
        }
        return reward == null ? null : new ReferralSettings(reward, ReferralSettings.ORDER_PAID);
    }

    private LoyaltySettings loyalty(Input in) {
        Input l = in.object("loyalty", true);
        if (l == null) return null;
        l.allow(Set.of("earning", "tiers", "tierBasis", "expiry", "pointValue"));
        List<LoyaltySettings.EarningRule> earning = new ArrayList<>();
        Set<String> ruleNames = new java.util.HashSet<>();
        for (Input r : l.objects("earning", false)) {
            r.allow(Set.of("name", "on", "condition", "points", "limit", "pendingDays"));
            String name = r.string("name", true, Checks.NAME, Checks.NAME_RULE);
            if (name != null && !ruleNames.add(name)) r.fail("name", "another earning rule has this name");
            String on = r.string("on", true);
            String eventType = null;
            boolean onEvent = false;
            if (on != null) {
                if (on.startsWith("event:")) {
                    eventType = on.substring("event:".length());
                    onEvent = true;
                    if (!Checks.EVENT_TYPE.matcher(eventType).matches())
                        r.fail("on", "event:<type> needs an event type of " + Checks.EVENT_TYPE_RULE);
                } else if (!on.equals("order_paid")) {
                    r.fail("on", "must be order_paid or event:<type>");
                }
            }
            boolean event = onEvent;
            Condition condition = compile(r, "condition", src -> rules.earningCondition(event, src));
            Formula points = null;
            JsonNode p = r.raw("points");
            if (p == null) r.fail("points", "is required");
            else if (p.isIntegralNumber() && p.canConvertToLong() && p.longValue() >= 0) {
                points = compileText(r, "points", p.asText(), src -> rules.earningPoints(event, src));
            } else points = compile(r, "points", src -> rules.earningPoints(event, src));
            PeriodLimit limit = null;
            Input lim = r.object("limit", false);
            if (lim != null) {
                lim.allow(Set.of("perCustomerPerPeriod"));
                limit = period(lim, "perCustomerPerPeriod");
            }
            Long pending = r.integer("pendingDays", false, 0, 3650);
            earning.add(new LoyaltySettings.EarningRule(name, eventType, condition, points, limit,
                    pending == null ? 0 : pending.intValue()));
        }
        List<LoyaltySettings.Tier> tiers = new ArrayList<>();
        Set<String> tierNames = new java.util.HashSet<>();
        Long previous = null;
        for (Input t : l.objects("tiers", false)) {
            t.allow(Set.of("name", "min", "multiplier"));
            String name = t.string("name", true, Checks.NAME, Checks.NAME_RULE);
            if (name != null && !tierNames.add(name)) t.fail("name", "another tier has this name");
            Long min = t.integer("min", true, 0, Long.MAX_VALUE / 4);
            if (min != null && previous != null && min <= previous) t.fail("min", "tiers must be in increasing order of min");
            if (min != null) previous = min;
            BigDecimal multiplier = BigDecimal.ONE;
            JsonNode m = t.raw("multiplier");
            if (m != null) {
                if (!m.isNumber() || m.decimalValue().signum() <= 0 || m.decimalValue().compareTo(MAX_MULTIPLIER) > 0) {
                    t.fail("multiplier", "must be a number in (0, 100]");
                } else if (m.decimalValue().scale() > 4) {
                    t.fail("multiplier", "at most 4 decimals");
                } else multiplier = m.decimalValue();
            }
            tiers.add(new LoyaltySettings.Tier(name, min == null ? 0 : min, multiplier));
        }
        String basisText = l.string("tierBasis", false);
        LoyaltySettings.TierBasis basis = LoyaltySettings.TierBasis.EARNED_LIFETIME;
        if (basisText != null) {
            try {
                basis = LoyaltySettings.TierBasis.valueOf(basisText);
            } catch (IllegalArgumentException e) {
                l.fail("tierBasis", "must be EARNED_LIFETIME or EARNED_LAST_365_DAYS");
            }
        }
        Integer afterDays = null, notify = null;
        Input e = l.object("expiry", false);
        if (e != null) {
            e.allow(Set.of("afterDays", "notifyDaysBefore"));
            Long days = e.integer("afterDays", true, 1, 36_500);
            Long before = e.integer("notifyDaysBefore", false, 0, 36_500);
            if (days != null && before != null && before >= days) e.fail("notifyDaysBefore", "must be less than afterDays");
            afterDays = days == null ? null : days.intValue();
            notify = before == null ? null : before.intValue();
        }
        LoyaltySettings.PointValue value = null;
        Input v = l.object("pointValue", false);
        if (v != null) {
            v.allow(Set.of("points", "amount"));
            Long points = v.integer("points", true, 1, 1_000_000_000);
            Long amount = v.integer("amount", true, 1, Checks.MAX_AMOUNT);
            if (points != null && amount != null) value = new LoyaltySettings.PointValue(points, amount);
        }
        return new LoyaltySettings(List.copyOf(earning), List.copyOf(tiers), basis, afterDays, notify, value);
    }

    private CodeSetup codes(Input in, PromotionKind kind) {
        Input c = in.object("codes", kind == PromotionKind.CODES || kind == PromotionKind.REFERRAL);
        if (c == null) return null;
        if (kind == PromotionKind.AUTO) {
            in.fail("codes", "AUTO campaigns apply without codes; remove codes or use type CODES");
            return null;
        }
        c.allow(Set.of("mode", "code", "pattern", "charset", "count", "prefix", "suffix"));
        String mode = c.string("mode", true);
        if ("UNIVERSAL".equals(mode)) {
            String code = c.string("code", true, CODE, "1-64 letters, digits, '-' or '_'");
            return code == null ? null : new CodeSetup(false, code.toUpperCase(Locale.ROOT), null, null, 0);
        }
        if ("UNIQUE".equals(mode)) {
            String charset = c.has("charset") ? c.string("charset", false) : DEFAULT_CHARSET;
            String pattern = c.string("pattern", false);
            if (pattern == null) pattern = "########";
            String prefix = c.string("prefix", false), suffix = c.string("suffix", false);
            pattern = (prefix == null ? "" : prefix) + pattern + (suffix == null ? "" : suffix);
            Long count = c.integer("count", false, 0, 100_000);
            CodePattern cp = CodePattern.check(c, pattern, charset);
            if (cp != null && count != null) {
                String refusal = cp.refusal(count);
                if (refusal != null) c.fail("count", refusal);
            }
            return cp == null ? null : new CodeSetup(true, null, cp.pattern(), cp.charset(), count == null ? 0 : count);
        }
        if (mode != null) c.fail("mode", "must be UNIVERSAL or UNIQUE");
        return null;
    }

    private Discount discount(Input in, String currency) {
        Input d = in.object("discount", true);
        if (d == null) return null;
        String type = d.string("type", true);
        if (type == null) return null;
        switch (type) {
            case "PERCENT" -> {
                d.allow(Set.of("type", "percent", "max", "target"));
                Param percent = percent(d, "percent", true);
                Param max = money(d, "max", false, 0, currency);
                Target target = target(d, Scope.ORDER);
                return new Discount.Percent(percent, max, target);
            }
            case "AMOUNT" -> {
                d.allow(Set.of("type", "amount", "target"));
                return new Discount.AmountOff(money(d, "amount", true, 1, currency), target(d, Scope.ORDER));
            }
            case "FIXED_PRICE" -> {
                d.allow(Set.of("type", "price", "target"));
                Param price = money(d, "price", true, 0, currency);
                Target target = target(d, Scope.EACH_UNIT);
                if (target != null && target.scope() == Scope.ORDER)
                    d.fail("target.scope", "FIXED_PRICE needs an item scope: EACH_UNIT, CHEAPEST or MOST_EXPENSIVE");
                return new Discount.FixedPrice(price, target);
            }
            case "FREE_SHIPPING" -> {
                d.allow(Set.of("type", "max"));
                return new Discount.FreeShipping(money(d, "max", false, 0, currency));
            }
            case "FREE_ITEM" -> {
                d.allow(Set.of("type", "sku", "quantity", "price", "product", "categories"));
                String sku = d.string("sku", true);
                Long qty = d.integer("quantity", false, 1, Checks.MAX_QUANTITY);
                Long price = d.integer("price", true, 0, Checks.MAX_AMOUNT);
                String product = d.string("product", false);
                List<String> cats = d.strings("categories", false);
                return new Discount.FreeItem(sku, qty == null ? 1 : qty, price == null ? 0 : price,
                        product, cats == null ? List.of() : List.copyOf(cats));
            }
            case "BUY_X_GET_Y" -> {
                d.allow(Set.of("type", "buy", "get", "percent", "maxApplications"));
                Input buy = d.object("buy", true);
                Input get = d.object("get", true);
                Selector buySel = null, getSel = null;
                long buyQty = 1, getQty = 1;
                if (buy != null) {
                    buy.allow(Set.of("selector", "quantity"));
                    buySel = compile(buy, "selector", rules::selector);
                    Long q = buy.integer("quantity", false, 1, Checks.MAX_QUANTITY);
                    if (q != null) buyQty = q;
                }
                if (get != null) {
                    get.allow(Set.of("selector", "quantity"));
                    getSel = compile(get, "selector", rules::selector);
                    Long q = get.integer("quantity", false, 1, Checks.MAX_QUANTITY);
                    if (q != null) getQty = q;
                }
                Param percent = d.has("percent") ? percent(d, "percent", true) : new Param.Fixed(HUNDRED);
                Long max = d.integer("maxApplications", false, 1, Checks.MAX_QUANTITY);
                return new Discount.BuyXGetY(buySel, buyQty, getSel, getQty, percent,
                        max == null ? null : max.intValue());
            }
            case "TIERED" -> {
                d.allow(Set.of("type", "basis", "tiers", "target"));
                String basisText = d.string("basis", false);
                Discount.Basis basis = Discount.Basis.AMOUNT;
                if (basisText != null) {
                    if (basisText.equals("AMOUNT") || basisText.equals("QUANTITY")) basis = Discount.Basis.valueOf(basisText);
                    else d.fail("basis", "must be AMOUNT or QUANTITY");
                }
                List<Input> tierInputs = d.objects("tiers", true);
                if (d.has("tiers") && tierInputs.isEmpty() && d.ok()) d.fail("tiers", "must list at least one tier");
                List<Discount.Tier> tiers = new ArrayList<>();
                Long previous = null;
                for (Input t : tierInputs) {
                    t.allow(Set.of("min", "percent", "amount"));
                    Long min = t.integer("min", true, 0, Checks.MAX_AMOUNT);
                    boolean hasPercent = t.has("percent"), hasAmount = t.has("amount");
                    if (hasPercent == hasAmount) t.failHere("a tier needs exactly one of percent or amount");
                    Param p = hasPercent ? percent(t, "percent", true) : null;
                    Param a = hasAmount ? money(t, "amount", true, 1, currency) : null;
                    if (min != null && previous != null && min <= previous) t.fail("min", "tiers must be in increasing order of min");
                    if (min != null) previous = min;
                    tiers.add(new Discount.Tier(min == null ? 0 : min, p, a));
                }
                return new Discount.Tiered(basis, List.copyOf(tiers), target(d, Scope.ORDER));
            }
            default -> {
                d.fail("type", "unknown discount type; use PERCENT, AMOUNT, FIXED_PRICE, FREE_SHIPPING, FREE_ITEM, "
                        + "BUY_X_GET_Y or TIERED");
                return null;
            }
        }
    }

    private Target target(Input d, Scope defaultScope) {
        Input t = d.object("target", false);
        if (t == null) return new Target(defaultScope, null);
        t.allow(Set.of("scope", "selector"));
        String s = t.string("scope", false);
        Scope scope = defaultScope;
        if (s != null) {
            try {
                scope = Scope.valueOf(s);
            } catch (IllegalArgumentException e) {
                t.fail("scope", "must be ORDER, ITEMS, EACH_UNIT, CHEAPEST or MOST_EXPENSIVE");
            }
        }
        Selector selector = compile(t, "selector", rules::selector);
        if (selector != null && scope == Scope.ORDER) t.fail("selector", "an ORDER target covers every item; use scope ITEMS to select items");
        return new Target(scope, selector);
    }

    /** A percentage in (0, 100], or a formula. */
    private Param percent(Input in, String field, boolean required) {
        JsonNode v = in.raw(field);
        if (v == null) {
            if (required) in.fail(field, "is required");
            return null;
        }
        if (v.isTextual()) return formula(in, field);
        if (!v.isNumber()) {
            in.fail(field, "must be a number in (0, 100] or a CEL expression");
            return null;
        }
        BigDecimal p = v.decimalValue();
        if (p.signum() <= 0 || p.compareTo(HUNDRED) > 0) {
            in.fail(field, "percent must be in (0, 100]");
            return null;
        }
        if (p.scale() > 4) in.fail(field, "at most 4 decimals");
        return new Param.Fixed(p);
    }

    /**
     * An amount in minor units, at least {@code min} (an amount off of 0 is refused like a percent of 0): a whole
     * number, a map per currency, or a formula.
     */
    private Param money(Input in, String field, boolean required, long min, String currency) {
        JsonNode v = in.raw(field);
        if (v == null) {
            if (required) in.fail(field, "is required");
            return null;
        }
        if (v.isTextual()) return formula(in, field);
        if (v.isObject()) {
            Map<String, Long> amounts = new LinkedHashMap<>();
            Input m = in.object(field, true);
            for (var it = v.fieldNames(); it.hasNext(); ) {
                String cur = it.next();
                if (!Checks.validCurrency(cur)) m.fail(cur, "must be an ISO-4217 currency code");
                Long a = m.integer(cur, true, min, Checks.MAX_AMOUNT);
                if (a != null) amounts.put(cur, a);
            }
            if (amounts.isEmpty() && m.ok()) in.fail(field, "must list an amount for at least one currency");
            if (currency != null && !amounts.isEmpty() && !amounts.containsKey(currency))
                in.fail(field, "has no amount for the campaign currency " + currency);
            return new Param.PerCurrency(Map.copyOf(amounts));
        }
        Long a = in.integer(field, required, min, Checks.MAX_AMOUNT);
        return a == null ? null : new Param.Fixed(BigDecimal.valueOf(a));
    }

    private Param formula(Input in, String field) {
        Formula f = compile(in, field, rules::formula);
        return f == null ? null : new Param.Dynamic(f);
    }

    private Limits limits(Input in) {
        Input l = in.object("limits", false);
        if (l == null) return Limits.NONE;
        l.allow(Set.of("redemptions", "perCode", "perCustomer", "perCustomerPerPeriod", "perPeriod", "budget"));
        Long redemptions = l.integer("redemptions", false, 1, Long.MAX_VALUE / 4);
        Long perCode = l.integer("perCode", false, 1, Long.MAX_VALUE / 4);
        Long perCustomer = l.integer("perCustomer", false, 1, Long.MAX_VALUE / 4);
        PeriodLimit cpp = period(l, "perCustomerPerPeriod");
        PeriodLimit pp = period(l, "perPeriod");
        Long budgetDiscount = null, budgetOrders = null;
        Input b = l.object("budget", false);
        if (b != null) {
            b.allow(Set.of("discount", "orders"));
            budgetDiscount = b.integer("discount", false, 1, Checks.MAX_AMOUNT * 1000);
            budgetOrders = b.integer("orders", false, 1, Checks.MAX_AMOUNT * 1000);
        }
        return new Limits(redemptions, perCode, perCustomer, cpp, pp, budgetDiscount, budgetOrders);
    }

    private static PeriodLimit period(Input l, String field) {
        Input p = l.object(field, false);
        if (p == null) return null;
        p.allow(Set.of("count", "period"));
        Long count = p.integer("count", true, 1, Long.MAX_VALUE / 4);
        String period = p.string("period", true);
        Period pe = null;
        if (period != null) {
            try {
                pe = Period.valueOf(period);
            } catch (IllegalArgumentException e) {
                p.fail("period", "must be DAY, WEEK or MONTH");
            }
        }
        return count == null || pe == null ? null : new PeriodLimit(count, pe);
    }

    private static Stacking stacking(Input in) {
        Input s = in.object("stacking", false);
        if (s == null) return Stacking.DEFAULT;
        s.allow(Set.of("priority", "exclusive", "group"));
        Long priority = s.integer("priority", false, -1_000_000, 1_000_000);
        Boolean exclusive = s.bool("exclusive", false);
        String group = s.string("group", false, Checks.NAME, Checks.NAME_RULE);
        return new Stacking(priority == null ? 0 : priority.intValue(), exclusive != null && exclusive, group);
    }

    @FunctionalInterface
    private interface Compiler<T> {
        T compile(String source) throws RuleException;
    }

    private static <T> T compile(Input in, String field, Compiler<T> compiler) {
        JsonNode v = in.raw(field);
        if (v == null) return null;
        if (!v.isTextual() || v.textValue().isBlank()) {
            in.fail(field, "must be a CEL expression string");
            return null;
        }
        return compileText(in, field, v.textValue(), compiler);
    }

    private static <T> T compileText(Input in, String field, String source, Compiler<T> compiler) {
        try {
            return compiler.compile(source);
        } catch (RuleException e) {
            in.fail(field, e.getMessage());
            return null;
        }
    }

    static ObjectNode emptyObject() {
        return JsonNodeFactory.instance.objectNode();
    }
}
