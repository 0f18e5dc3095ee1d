package io.tessera.discount;

import io.tessera.rule.Activation;
import io.tessera.rule.RuleException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One evaluation: gathers the candidates, checks them, applies the eligible ones in order and prices the order. */
final class Evaluator {
    /** Higher priority first; then listed codes in request order; then automatic promotions in creation order. */
    private static final Comparator<Candidate> APPLICATION_ORDER = Comparator
            .comparingInt((Candidate c) -> -c.stacking().priority())
            .thenComparing(c -> !c.isListed())
            .thenComparingLong(c -> c.position);

    private final EvaluationRequest request;
    private final Shopper shopper;
    private final ZoneId zone;
    private final SelectorMatches matches;
    private final Eligibility eligibility;

    Evaluator(EvaluationRequest request) {
        this(request, Activations.of(request.shopper(), request.cart(),
                request.context() == null ? Map.of() : request.context(), request.now()));
    }

    /** With the request's CEL variables built before ({@link PreparedOrder}): they must be those of its order. */
    Evaluator(EvaluationRequest request, Activation activation) {
        this.request = request;
        this.shopper = request.shopper() == null ? Shopper.ANONYMOUS : request.shopper();
        this.zone = request.zone() == null ? ZoneOffset.UTC : request.zone();
        this.matches = new SelectorMatches(request.cart().lines().size());
        this.eligibility = new Eligibility(request, shopper, zone, activation, matches);
    }

    Evaluation evaluate() {
        List<Candidate> listed = listed();
        List<Candidate> automatic = automatic();
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : listed) check(c, eligible);
        for (Candidate c : automatic) check(c, eligible);
        eligible.sort(APPLICATION_ORDER);

        Basket basket = new Basket(request.cart());
        List<Applied> applied = apply(eligible, exclusiveWinner(eligible), basket);

        List<Rejection> rejected = new ArrayList<>();
        for (Candidate c : listed) if (c.rejected()) rejected.add(c.rejection());
        List<Rejection> notApplied = new ArrayList<>();
        if (request.explain()) for (Candidate c : automatic) if (c.rejected()) notApplied.add(c.rejection());
        return new Evaluation(rejected.isEmpty(), basket.priced(), List.copyOf(applied), List.copyOf(rejected),
                List.copyOf(notApplied));
    }

    /** The listed codes in request order, each code once. */
    private List<Candidate> listed() {
        Map<String, Candidate> byCode = new LinkedHashMap<>();
        List<CodeRef> codes = request.codes() == null ? List.of() : request.codes();
        for (CodeRef code : codes) byCode.putIfAbsent(code.code(), Candidate.listed(code, byCode.size()));
        return new ArrayList<>(byCode.values());
    }

    private List<Candidate> automatic() {
        List<Promotion> promotions = request.automatic() == null ? List.of() : request.automatic();
        List<Candidate> automatic = new ArrayList<>(promotions.size());
        for (Promotion p : promotions) automatic.add(Candidate.automatic(p));
        automatic.sort(Comparator.comparingLong(c -> c.position));
        return automatic;
    }

    private void check(Candidate c, List<Candidate> eligible) {
        eligibility.check(c);
        if (!c.rejected()) eligible.add(c);
    }

    /** The first exclusive candidate, in application order, that would have an effect on the order alone. */
    private Candidate exclusiveWinner(List<Candidate> eligible) {
        for (Candidate c : eligible) {
            if (!c.stacking().exclusive()) continue;
            Effect alone = effect(c, new Basket(request.cart()));
            if (alone.hasEffect() && alone.total() <= c.budgetLeft) return c;
        }
        return null;
    }

    /**
     * Applies the candidates one after another on what the previous ones left, rejecting those that exceed their
     * budget, lose to an exclusive one, meet a taken group, pass the stacking limit or have no effect.
     */
    private List<Applied> apply(List<Candidate> eligible, Candidate winner, Basket basket) {
        List<Applied> applied = new ArrayList<>();
        Map<String, String> groups = new HashMap<>();
        Set<String> promotions = new HashSet<>();
        for (Candidate c : eligible) {
            Effect effect = c.budgetLeft == Long.MAX_VALUE ? null : effect(c, basket);
            String group = c.stacking().group();
            if (effect != null && effect.total() > c.budgetLeft) {
                long discount = effect.total();
                c.reject(Reason.BUDGET_EXHAUSTED, () -> "a discount of " + discount + " exceeds what is left of the "
                        + "budget of campaign " + c.promotion.name() + " (" + c.budgetLeft + ")");
            } else if (winner != null && c != winner) {
                c.reject(Reason.EXCLUSIVE_APPLIED,
                        () -> "exclusive campaign " + winner.promotion.name() + " applies alone");
            } else if (promotions.contains(c.promotion.id())) {
                c.reject(Reason.GROUP_CONFLICT,
                        () -> "campaign " + c.promotion.name() + " already applies to this order");
            } else if (group != null && groups.containsKey(group)) {
                String taken = groups.get(group);
                c.reject(Reason.GROUP_CONFLICT, () -> "campaign " + taken + " of group " + group
                        + " already applies to this order");
            } else if (applied.size() >= request.maxDiscountsPerOrder()) {
                c.reject(Reason.STACKING_LIMIT, () -> "at most " + request.maxDiscountsPerOrder()
                        + " discounts apply to one order");
            } else {
                if (effect == null) effect = effect(c, basket);
                RuleException failure = effect.hasEffect() ? null : matches.failure(c.promotion.discount(), c.view);
                if (failure != null) {
                    c.reject(Reason.CONDITION_NOT_MET, () -> "the selector of " + c.subject() + " "
                            + failure.getMessage());
                } else if (!effect.hasEffect()) {
                    c.reject(Reason.NO_EFFECT, () -> c.subject() + " gives no discount on this order");
                } else {
                    applied.add(applied(c, effect, basket.apply(effect), basket));
                    promotions.add(c.promotion.id());
                    if (group != null) groups.put(group, c.promotion.name());
                }
            }
        }
        return applied;
    }

    private Effect effect(Candidate c, Basket basket) {
        return new DiscountCalculator(basket, matches, c.view).compute(c.promotion.discount(), c.terms);
    }

    private Applied applied(Candidate c, Effect effect, int addedLine, Basket basket) {
        List<LineDiscount> lines = new ArrayList<>();
        for (int i = 0; i < effect.lines().length; i++) {
            if (effect.lines()[i] > 0) lines.add(new LineDiscount(i, basket.line(i).sku(), effect.lines()[i]));
        }
        CartLine added = effect.added();
        if (added != null && added.amount() > 0) lines.add(new LineDiscount(addedLine, added.sku(), added.amount()));
        List<CounterUse> counters = LimitCounters.plan(c.promotion, shopper, request.now(), zone, effect.total(),
                request.cart().subtotal());
        return new Applied(c.promotion, c.isListed() ? c.code.code() : null, effect.total(), effect.itemsDiscount(),
                effect.shipping(), List.copyOf(lines), List.copyOf(counters), c.terms.tier());
    }
}
