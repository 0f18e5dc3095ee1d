package io.tessera.code;

import java.util.concurrent.ThreadLocalRandom;
import org.jooq.DSLContext;

/**
 * A campaign's number of codes and of published codes ({@code code_counts}), kept by the writes that add and publish
 * codes so that reading them never counts the codes. Each write adds to one of {@link #SLOTS} rows at random: two
 * concurrent publications of one campaign then rarely wait for the same row lock.
 */
final class CodeCounts {
    static final int SLOTS = 8;

    private CodeCounts() {
    }

    /** Adds {@code total} codes and {@code published} publications to the campaign's counts, within {@code tx}. */
    static void add(DSLContext tx, String projectId, String campaignId, long total, long published) {
        if (total == 0 && published == 0) return;
        int slot = ThreadLocalRandom.current().nextInt(SLOTS);
        String update = "update code_counts set total = total + ?, published = published + ? "
                + "where project_id = ? and campaign_id = ? and slot = ?";
        if (tx.execute(update, total, published, projectId, campaignId, slot) == 1) return;
        // The slot's first write: a concurrent first write may insert it first, then this one adds to it.
        tx.execute("insert into code_counts (project_id, campaign_id, slot, total, published) values (?, ?, ?, 0, 0) "
                + "on conflict do nothing", projectId, campaignId, slot);
        tx.execute(update, total, published, projectId, campaignId, slot);
    }
}
