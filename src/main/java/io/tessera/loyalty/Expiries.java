package io.tessera.loyalty;

import io.tessera.db.Database;
import io.tessera.job.Retry;
import io.tessera.job.RunningTask;
import io.tessera.job.TaskHandler;
import java.time.Duration;

/**
 * Runs {@link LoyaltyService#EXPIRE_KIND} tasks: one per bucket, due at its expiry. The expiry entry and the task's
 * completion are one transaction, so a retried task never writes a second entry (and the bucket's flag says so too).
 */
public final class Expiries implements TaskHandler {
    public static final Retry RETRY = new Retry(10, Duration.ofSeconds(30));
    private final Database db;
    private final LoyaltyService loyalty;

    public Expiries(Database db, LoyaltyService loyalty) {
        this.db = db;
        this.loyalty = loyalty;
    }

    @Override
    public Outcome run(RunningTask task) {
        String bucket = task.payload().path("bucket").asText();
        db.transaction(tx -> {
            loyalty.expire(tx, task.task().projectId(), bucket, task.now());
            task.complete(tx);
            return null;
        });
        return Outcome.DONE;
    }
}
