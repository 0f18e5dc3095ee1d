package io.tessera.webhook;

import io.tessera.customer.CustomerChanges;
import io.tessera.customer.CustomerRow;
import io.tessera.outbox.Outbox;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Adds the {@code customer.created} event (data {@code {"id", "createdAt"}}: no personal data) when a customer is
 * created, in the transaction that creates it.
 */
public final class CustomerCreated implements CustomerChanges {
    public static final String TYPE = "customer.created";
    private final Outbox outbox;

    public CustomerCreated(Outbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void changed(DSLContext tx, String projectId, CustomerRow before, CustomerRow after, Instant now) {
        if (before != null) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", after.id());
        data.put("createdAt", after.createdAt());
        outbox.add(tx, projectId, TYPE, data, now);
    }
}
