package io.tessera.message;

import io.tessera.customer.PersonalData;
import io.tessera.db.Database;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;

/**
 * The customer's messages in the GDPR export ({@code "messages"}, oldest first) and the erasure: recipient, subject
 * and body are emptied (in the message.rendered events that carried them too), the customer id is replaced by its
 * pseudonym, and messages not sent yet are FAILED ({@code erased}), never sent.
 */
public final class MessagePersonalData implements PersonalData {
    private final MessageStore store;

    public MessagePersonalData(Database db) {
        this.store = new MessageStore(db);
    }

    @Override
    public String section() {
        return "messages";
    }

    @Override
    public List<Message> export(String projectId, String customerId) {
        return store.forCustomer(projectId, customerId);
    }

    @Override
    public void erase(DSLContext tx, String projectId, String customerId, String pseudonym, Instant now) {
        store.erase(tx, projectId, customerId, pseudonym);
    }
}
