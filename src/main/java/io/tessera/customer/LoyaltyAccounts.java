package io.tessera.customer;

import io.tessera.rule.Activation;
import java.time.Instant;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * {@code customer.loyalty} for expressions: a customer's loyalty accounts at an instant, by program name, for the
 * programs the customer is a member of. Filled by the loyalty feature (which depends on this package, so it is
 * wired in {@code Application}); one query for all the customer's programs.
 */
public interface LoyaltyAccounts {
    default Map<String, Activation.LoyaltyAccount> of(String projectId, String customerId, Instant at) {
        return of(null, projectId, customerId, at);
    }

    /** Read through {@code dsl}: a caller's transaction, or null for a connection of its own. */
    Map<String, Activation.LoyaltyAccount> of(DSLContext dsl, String projectId, String customerId, Instant at);
}
