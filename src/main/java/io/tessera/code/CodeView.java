package io.tessera.code;

import java.time.Instant;

/** A code as the API shows it. */
public record CodeView(String code, String campaign, String mode, boolean active, String customer, long redemptions,
                       Instant createdAt, Instant publishedAt) {
    static CodeView of(CodeStore.Described d) {
        CodeRow r = d.row();
        return new CodeView(r.code(), d.campaign(), r.unique() ? "UNIQUE" : "UNIVERSAL", r.active(), r.customerId(),
                r.redemptions(), r.createdAt(), r.publishedAt());
    }
}
