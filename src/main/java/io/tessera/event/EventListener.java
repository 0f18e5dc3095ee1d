package io.tessera.event;

import io.tessera.core.ProjectContext;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * What follows a customer event inside the event's transaction (loyalty earning on {@code event:<type>}, automations
 * later). Implemented by features above events and plugged in by {@code Application}, so events depend on none of them.
 */
public interface EventListener {
    /**
     * Called once per stored event, after its row is written and its customer upserted; never for an event id sent
     * again. A failure rolls the event back whole.
     */
    void received(DSLContext tx, ProjectContext project, CustomerEvent event, Instant now);
}
