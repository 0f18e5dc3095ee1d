package io.tessera.campaign;

import io.tessera.discount.Promotion;
import java.time.ZoneId;
import org.jooq.DSLContext;

/**
 * Told, inside a campaign change's transaction, that the limits may have changed, so the counters that enforce them
 * follow at once. Implemented by the redemption feature.
 */
public interface LimitsChange {
    void changed(DSLContext tx, String projectId, Promotion before, Promotion after, ZoneId zone);
}
