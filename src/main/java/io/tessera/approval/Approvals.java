package io.tessera.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.audit.AuditLog;
import io.tessera.audit.Diff;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import io.tessera.loyalty.LoyaltyService;
import io.tessera.project.ApprovalPolicy;
import io.tessera.project.ProjectService;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Changes that may wait for an owner's approval (the project's {@link ApprovalPolicy}): a change to an active campaign
 * (patch, pause, archive) and a points adjustment above the threshold. Callers say whether the actor is subject to
 * approvals (the admin UI: users who are not owners; API keys never are). A change that needs one is validated, stored
 * with its diff and audited as {@code approval.requested} by the requester; approving applies it through the same
 * service in one transaction, the applying entry naming the approver as actor and the requester as {@code requestedBy}.
 */
public final class Approvals {
    static final String CAMPAIGN_PATCH = "campaign.patch";
    static final String CAMPAIGN_ARCHIVE = "campaign.archive";
    static final String POINTS_ADJUST = "points.adjust";
    private final Database db;
    private final ApprovalStore store;
    private final ProjectService projects;
    private final CampaignService campaigns;
    private final LoyaltyService loyalty;
    private final AuditLog audit;

    public Approvals(Database db, ProjectService projects, CampaignService campaigns, LoyaltyService loyalty,
                     AuditLog audit) {
        this.db = db;
        this.store = new ApprovalStore(db);
        this.projects = projects;
        this.campaigns = campaigns;
        this.loyalty = loyalty;
        this.audit = audit;
    }

    /** What became of a change: applied at once, or waiting as {@code approval}. */
    public record Outcome(Approval approval) {
        public boolean pending() {
            return approval != null;
        }
    }

    private static final Outcome APPLIED = new Outcome(null);

    /** A merge patch of a campaign (pause and resume are patches of {@code active}). */
    public Outcome patchCampaign(ProjectContext p, Actor actor, boolean subject, String name, JsonNode patch,
                                 Instant now) {
        Campaign current = campaigns.get(p, name);
        if (!needed(p, subject, current)) {
            campaigns.patch(p, actor, name, patch, now);
            return APPLIED;
        }
        // Refused now, as it would be on approval: the owner is only asked about a change that can be applied.
        dryRun(tx -> campaigns.patch(tx, p, actor, name, patch, now));
        ObjectNode after = current.definition().deepCopy();
        Json.mergePatch(after, patch);
        return request(p, actor, CAMPAIGN_PATCH, CampaignService.resource(name), patch,
                Diff.of(current.definition(), after), now);
    }

    public Outcome archiveCampaign(ProjectContext p, Actor actor, boolean subject, String name, Instant now) {
        Campaign current = campaigns.get(p, name);
        if (!needed(p, subject, current)) {
            campaigns.archive(p, actor, name, now);
            return APPLIED;
        }
        return request(p, actor, CAMPAIGN_ARCHIVE, CampaignService.resource(name), Json.MAPPER.createObjectNode(),
                Diff.of(Json.MAPPER.valueToTree(Map.of("active", current.promotion().active(), "archived", false)),
                        Json.MAPPER.valueToTree(Map.of("active", false, "archived", true))), now);
    }

    /** A manual points adjustment (as {@code POST /v1/loyalty/{program}/members/{customer}/transactions}). */
    public Outcome adjustPoints(ProjectContext p, Actor actor, boolean subject, String program, String customer,
                                long points, String reason, Instant now) {
        if (!subject || !projects.approvals(p).points(points)) {
            loyalty.adjust(p, actor, program, customer, points, reason, now);
            return APPLIED;
        }
        long balance = loyalty.member(p, program, customer, now).balance(); // also refuses an unknown program
        ObjectNode payload = Json.MAPPER.createObjectNode().put("program", program).put("customer", customer)
                .put("points", points).put("reason", reason);
        Map<String, Object> before = new java.util.LinkedHashMap<>();
        before.put("balance", balance);
        Map<String, Object> after = new java.util.LinkedHashMap<>();
        after.put("balance", balance + points);
        after.put("reason", reason);
        return request(p, actor, POINTS_ADJUST, "loyalty-member/" + program + "/" + customer, payload,
                Diff.of(Json.MAPPER.valueToTree(before), Json.MAPPER.valueToTree(after)), now);
    }

    /** Applies the pending change through its service, as {@code actor} on behalf of the requester, in one transaction. */
    public Approval approve(ProjectContext p, Actor actor, String id, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Approval decided = db.transaction(tx -> {
            Approval a = pendingForUpdate(tx, p, id);
            Actor requester = new Actor.User(a.requestedBy(), a.requestedByName());
            AuditLog.onBehalfOf(requester, () -> {
                apply(tx, p, actor, a, now);
                store.decide(tx, p.id(), a.id(), Approval.Status.APPROVED, actor, now, null);
                Approval after = store.find(tx, p.id(), id).orElseThrow();
                audit.record(tx, p, actor, "approval.approved", resource(id), a, after, now);
                return null;
            });
            return store.find(tx, p.id(), id).orElseThrow();
        });
        if (decided.kind().startsWith("campaign.")) campaigns.reload(p);
        return decided;
    }

    public Approval reject(ProjectContext p, Actor actor, String id, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        return db.transaction(tx -> {
            Approval a = pendingForUpdate(tx, p, id);
            store.decide(tx, p.id(), a.id(), Approval.Status.REJECTED, actor, now, null);
            Approval after = store.find(tx, p.id(), id).orElseThrow();
            audit.record(tx, p, actor, "approval.rejected", resource(id), a, after, now);
            return after;
        });
    }

    public Approval get(ProjectContext p, String id) {
        return store.find(db.dsl(), p.id(), id).orElseThrow(() -> Failure.notFound("approval " + id));
    }

    public List<Approval> pending(ProjectContext p, int limit) {
        return store.pending(p.id(), limit);
    }

    public List<Approval> decided(ProjectContext p, int limit) {
        return store.decided(p.id(), limit);
    }

    public ApprovalPolicy policy(ProjectContext p) {
        return projects.approvals(p);
    }

    // ---- helpers ----

    private boolean needed(ProjectContext p, boolean subject, Campaign current) {
        return subject && current.promotion().active() && !current.archived() && projects.approvals(p).campaigns();
    }

    private Outcome request(ProjectContext p, Actor actor, String kind, String target, JsonNode payload,
                            List<Diff.Change> diff, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Approval a = new Approval(Ids.next("apr"), kind, target, payload, diff, actor.id(), actor.name(), now, null,
                null, null, Approval.Status.PENDING, null);
        db.transaction(tx -> {
            store.insert(tx, p.id(), a);
            audit.record(tx, p, actor, "approval.requested", resource(a.id()), null, a, now);
            return null;
        });
        return new Outcome(a);
    }

    private void apply(org.jooq.DSLContext tx, ProjectContext p, Actor actor, Approval a, Instant now) {
        JsonNode x = a.payload();
        switch (a.kind()) {
            case CAMPAIGN_PATCH -> campaigns.patch(tx, p, actor, name(a), x, now);
            case CAMPAIGN_ARCHIVE -> campaigns.archive(tx, p, actor, name(a), now);
            case POINTS_ADJUST -> loyalty.adjust(tx, p, actor, x.get("program").asText(), x.get("customer").asText(),
                    x.get("points").asLong(), x.hasNonNull("reason") ? x.get("reason").asText() : null, now);
            default -> throw new IllegalStateException("unknown approval kind " + a.kind());
        }
    }

    private static String name(Approval a) {
        return a.target().substring("campaign/".length());
    }

    private Approval pendingForUpdate(org.jooq.DSLContext tx, ProjectContext p, String id) {
        Approval a = store.lock(tx, p.id(), id).orElseThrow(() -> Failure.notFound("approval " + id));
        if (!a.pending())
            throw Failure.conflict("already_decided", "approval " + id + " was " + a.status().name().toLowerCase()
                    + " already");
        return a;
    }

    /** Runs {@code change} in a transaction that is always rolled back: it validates exactly as applying would. */
    private void dryRun(java.util.function.Consumer<org.jooq.DSLContext> change) {
        try {
            db.transaction(tx -> {
                change.accept(tx);
                throw new RolledBack();
            });
        } catch (RolledBack expected) {
            // validated; nothing kept
        }
    }

    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }

    static String resource(String id) {
        return "approval/" + id;
    }
}
