package io.tessera.customer;

import java.time.Instant;
import org.jooq.DSLContext;

/**
 * What follows a customer's creation or a change of its attributes or consents, inside that transaction (the
 * {@code customer.created} event, automations on {@code customer_created}, {@code segment_entered:<name>},
 * {@code birthday}). Implemented by features above customers and plugged in by {@code Application}.
 */
public interface CustomerChanges {
    /**
     * Called once per creation or actual change: {@code before} is null when the customer was just created;
     * {@code after} is the row as it now is. Not called when an upsert changed nothing.
     */
    void changed(DSLContext tx, String projectId, CustomerRow before, CustomerRow after, Instant now);
}
