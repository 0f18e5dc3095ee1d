package io.tessera.project;

import java.time.Instant;

/** A project as the API shows it. */
public record ProjectView(String id, String name, String currency, String timezone, int maxDiscountsPerOrder,
                          String locale, Instant createdAt, ApprovalPolicy approvals, Integer rateLimit) {
    public static ProjectView of(Project p) {
        return new ProjectView(p.id(), p.name(), p.currency(), p.timezone().getId(), p.maxDiscountsPerOrder(),
                p.locale(), p.createdAt(), p.approvals().equals(ApprovalPolicy.NONE) ? null : p.approvals(),
                p.rateLimit());
    }
}
