package io.tessera.campaign;

import io.tessera.core.ProjectContext;
import java.time.Instant;
import org.jooq.DSLContext;

/**
 * The codes a new campaign starts with (its universal code, or its first unique codes), made in the campaign's
 * transaction. Implemented by the code feature, which depends on campaigns (not the other way round).
 */
public interface CampaignCodes {
    /**
     * Creates the campaign's codes within {@code tx}; returns work to run once the transaction committed (e.g. a
     * generation job), or null.
     */
    Runnable created(DSLContext tx, ProjectContext project, Campaign campaign, Instant now);
}
