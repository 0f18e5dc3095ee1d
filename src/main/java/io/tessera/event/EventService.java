package io.tessera.event;

import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerRow;
import io.tessera.customer.CustomerStore;
import io.tessera.db.Database;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Customer events: stored per customer and acted on once. An event is checkout traffic (like orders): not in the audit
 * log.
 */
public final class EventService {
    private final Database db;
    private final EventStore store;
    private final CustomerStore customers;
    private final List<EventListener> listeners;

    /** {@code listeners} are told of every new event, in this order (loyalty earning, automations, ...). */
    public EventService(Database db, CustomerStore customers, List<EventListener> listeners) {
        this.db = db;
        this.store = new EventStore(db);
        this.customers = customers;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Stores the event, upserts its customer (merging {@code attributes}, none: unchanged), counts it in the customer's
     * {@code customer.events} summary and tells the listeners, in one transaction. An {@code id} already stored in the project is answered with the event stored first, and
     * nothing is done again: the event row's key decides, so of concurrent requests with one id exactly one acts.
     */
    public CustomerEvent record(ProjectContext p, String id, String customer, Map<String, Object> attributes,
                                String type, Map<String, Object> properties, Instant at) {
        // Stored as the database keeps instants (microseconds), so the answer equals every later read.
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        CustomerEvent event = new CustomerEvent(id == null ? Ids.next("cev") : id, customer, type,
                properties == null ? Map.of() : properties, now);
        try {
            return db.transaction(tx -> {
                // PostgreSQL makes a concurrent insert of the same id wait for the first one's commit, then do nothing.
                if (!store.insert(tx, p.id(), event)) return store.find(tx, p.id(), event.id()).orElseThrow();
                // The upsert holds the customer's row lock until commit: concurrent events of one customer all count.
                CustomerRow c = customers.upsert(tx, p.id(), customer, attributes, null, now);
                customers.addEvent(tx, p.id(), customer, c.events(), type, event.properties(), now);
                for (EventListener l : listeners) l.received(tx, p, event, now);
                return event;
            });
        } catch (RuntimeException e) {
            // H2 reports the same race as a unique-key violation: the other request stored (and acted on) it.
            if (!Database.isUniqueViolation(e)) throw e;
            return store.find(db.dsl(), p.id(), event.id()).orElseThrow(() -> e);
        }
    }

    /** The customer's events, newest first; {@code type} null for all. 404 for a customer the project does not know. */
    public Page<CustomerEvent> list(ProjectContext p, String customer, String type, Page.Request page) {
        if (customers.find(p.id(), customer).isEmpty()) throw Failure.notFound("customer " + customer);
        Long after = page.cursor() == null ? null : page.longCursor();
        return Page.of(store.list(p.id(), customer, type, after, page.limit() + 1), page.limit(),
                EventStore.Stored::event, s -> Long.toString(s.seq()));
    }
}
