package io.tessera.customer;

import java.time.Instant;
import org.jooq.DSLContext;

/**
 * Personal data a feature above customers holds (automation runs, messages, webhook deliveries): it joins the GDPR
 * export and the erasure. Plugged into {@link CustomerService} by {@code Application}.
 */
public interface PersonalData {
    /** The section's name in the export document, e.g. {@code "messages"}. */
    String section();

    /** Everything held about the customer, as the export shows it (a list of records, newest last). */
    Object export(String projectId, String customerId);

    /**
     * Inside the erasure's transaction: removes what identifies the person and replaces the id by {@code pseudonym},
     * keeping what counts and limits need.
     */
    void erase(DSLContext tx, String projectId, String customerId, String pseudonym, Instant now);
}
