package io.tessera.discount;

import io.tessera.rule.Activation;
import io.tessera.rule.RuleException;
import io.tessera.rule.Selector;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Which cart lines each selector matches, evaluated at most once per selector within one evaluation. Keyed by
 * identity: rules compiled from the same source are shared by {@code Rules}, except those reading {@code campaign},
 * so a cached answer never belongs to another campaign. A selector stopped by its budget is remembered too.
 */
final class SelectorMatches {
    private final int lines;
    private final Map<Selector, Object> known = new IdentityHashMap<>();

    SelectorMatches(int lines) {
        this.lines = lines;
    }

    /**
     * One flag per cart line; a null selector matches every line. {@code view} carries the campaign's metadata. A
     * selector that could not be evaluated (see {@link #failure}) matches nothing.
     */
    boolean[] of(Selector selector, Activation view) {
        return evaluate(selector, view) instanceof boolean[] matches ? matches : new boolean[lines];
    }

    /**
     * Why a selector of {@code discount} could not be evaluated on this order (it ran over its budget), or null. Asked
     * only of a discount that computed to no effect, so selectors stay evaluated lazily, when an effect is needed.
     */
    RuleException failure(Discount discount, Activation view) {
        return switch (discount) {
            case Discount.Percent d -> failure(d.target(), view);
            case Discount.AmountOff d -> failure(d.target(), view);
            case Discount.FixedPrice d -> failure(d.target(), view);
            case Discount.Tiered d -> failure(d.target(), view);
            case Discount.BuyXGetY x -> {
                RuleException buy = failure(x.buySelector(), view);
                yield buy != null ? buy : failure(x.getSelector(), view);
            }
            case Discount.FreeShipping s -> null;
            case Discount.FreeItem i -> null;
        };
    }

    private RuleException failure(Target target, Activation view) {
        return target == null || target.scope() == Scope.ORDER ? null : failure(target.selector(), view);
    }

    private RuleException failure(Selector selector, Activation view) {
        return evaluate(selector, view) instanceof RuleException e ? e : null;
    }

    private Object evaluate(Selector selector, Activation view) {
        Object answer = known.get(selector);
        if (answer == null) {
            if (selector == null) {
                boolean[] all = new boolean[lines];
                Arrays.fill(all, true);
                answer = all;
            } else {
                try {
                    answer = selector.matches(view);
                } catch (RuleException e) {
                    answer = e;
                }
            }
            known.put(selector, answer);
        }
        return answer;
    }
}
