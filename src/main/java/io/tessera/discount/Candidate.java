package io.tessera.discount;

import io.tessera.rule.Activation;
import java.util.function.Supplier;

/**
 * A promotion being considered for the order: a code the caller listed, or an automatic promotion. Collects, as the
 * evaluation proceeds, its resolved terms and either its effect or the reason it does not apply.
 */
final class Candidate {
    final CodeRef code;
    final Promotion promotion;
    /** Position among the listed codes, or the creation sequence of an automatic promotion. */
    final long position;

    Activation view;
    Terms terms;
    /** What the discount budget still allows, in minor units; Long.MAX_VALUE without a budget. */
    long budgetLeft = Long.MAX_VALUE;
    Reason reason;
    /** Built only when the rejection is reported: automatic promotions are reported only when explain is asked. */
    Supplier<String> message;

    private Candidate(CodeRef code, Promotion promotion, long position) {
        this.code = code;
        this.promotion = promotion;
        this.position = position;
    }

    static Candidate listed(CodeRef code, int position) {
        return new Candidate(code, code.promotion(), position);
    }

    static Candidate automatic(Promotion promotion) {
        return new Candidate(null, promotion, promotion.sequence());
    }

    boolean isListed() {
        return code != null;
    }

    Stacking stacking() {
        return promotion.stacking() == null ? Stacking.DEFAULT : promotion.stacking();
    }

    /** How messages name it: "code SAVE15" or "campaign welcome". */
    String subject() {
        return isListed() ? "code " + code.code() : "campaign " + promotion.name();
    }

    void reject(Reason reason, Supplier<String> message) {
        this.reason = reason;
        this.message = message;
    }

    boolean rejected() {
        return reason != null;
    }

    Rejection rejection() {
        return new Rejection(promotion, isListed() ? code.code() : null, reason, message.get());
    }
}
