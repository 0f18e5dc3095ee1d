package io.tessera.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.audit.AuditLog;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Ids;
import io.tessera.core.Input;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import java.time.Instant;
import org.jooq.DSLContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creating, changing and archiving campaigns: validation, the transaction, the codes a campaign starts with, the
 * counters that follow its limits, the audit entry, and the cache every node reloads.
 */
public final class CampaignService {
    private final Database db;
    private final CampaignStore store;
    private final CampaignParser parser;
    private final ActiveCampaigns active;
    private final AuditLog audit;
    private final CampaignCodes codes;
    private final LimitsChange limits;

    public CampaignService(Database db, CampaignStore store, CampaignParser parser, ActiveCampaigns active,
                           AuditLog audit, CampaignCodes codes, LimitsChange limits) {
        this.db = db;
        this.store = store;
        this.parser = parser;
        this.active = active;
        this.audit = audit;
        this.codes = codes;
        this.limits = limits;
    }

    public Campaign create(ProjectContext p, Actor actor, JsonNode body, Instant now) {
        Input in = Input.of(body);
        String id = Ids.next("cmp");
        CampaignParser.Parsed parsed = parser.parse(in, id, 0);
        if (parsed != null) checkReferences(db.dsl(), p, in, parsed);
        in.check();
        String name = parsed.promotion().name();
        if (store.find(p.id(), name).isPresent()) throw nameTaken(name);
        long seq = store.nextSequence();
        Runnable afterCommit;
        try {
            afterCommit = db.transaction(tx -> {
                store.insert(tx, p.id(), id, name, parsed.promotion().kind().name(), parsed.promotion().active(), seq,
                        parsed.definition(), now);
                Campaign created = typed(store.findForUpdate(tx, p.id(), name).orElseThrow());
                Runnable after = codes.created(tx, p, created, now);
                audit.record(tx, p, actor, "campaign.created", resource(name), null, CampaignView.of(created), now);
                return after;
            });
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) throw e;
            if (store.find(p.id(), name).isPresent()) throw nameTaken(name);
            throw Failure.conflict("code_taken", "code " + parsed.codes().code() + " is already used in this project",
                    List.of(new FieldError("codes.code", "already used by another campaign")));
        }
        active.invalidate(p.id());
        if (afterCommit != null) afterCommit.run();
        return get(p, name);
    }

    /** RFC 7396 merge patch over the saved definition, validated whole; name, type and codes are fixed. */
    public Campaign patch(ProjectContext p, Actor actor, String name, JsonNode patch, Instant now) {
        db.transaction(tx -> patch(tx, p, actor, name, patch, now));
        reload(p);
        return get(p, name);
    }

    /**
     * {@link #patch} within the caller's transaction {@code tx} (an approval applying it); the caller calls
     * {@link #reload} once it committed.
     */
    public Campaign patch(DSLContext tx, ProjectContext p, Actor actor, String name, JsonNode patch, Instant now) {
        if (!patch.isObject()) throw Failure.invalid("body", "must be a JSON object (a merge patch)");
        StoredCampaign current = store.findForUpdate(tx, p.id(), name).orElseThrow(() -> notFound(name));
        Campaign before = typed(current);
        ObjectNode merged = current.definition().deepCopy();
        io.tessera.core.Json.mergePatch(merged, patch);
        Input in = Input.of(merged);
        for (String fixed : List.of("name", "type", "codes")) {
            if (patch.has(fixed) && !patch.get(fixed).equals(current.definition().get(fixed)))
                in.fail(fixed, fixed.equals("codes") ? "codes cannot be changed; add codes with POST /v1/campaigns/"
                        + name + "/codes" : "cannot be changed");
        }
        CampaignParser.Parsed parsed = parser.parse(in, current.id(), current.sequence());
        if (parsed != null) checkReferences(tx, p, in, parsed);
        in.check();
        limits.changed(tx, p.id(), before.promotion(), parsed.promotion(), p.zone());
        store.update(tx, p.id(), current.id(), parsed.promotion().active(), current.archived(),
                parsed.definition(), now);
        Campaign after = typed(store.findForUpdate(tx, p.id(), name).orElseThrow());
        audit.record(tx, p, actor, "campaign.updated", resource(name), CampaignView.of(before),
                CampaignView.of(after), now);
        return after;
    }

    /** Deactivates and archives; its history (redemptions, codes) is kept. */
    public Campaign archive(ProjectContext p, Actor actor, String name, Instant now) {
        db.transaction(tx -> archive(tx, p, actor, name, now));
        reload(p);
        return get(p, name);
    }

    /** {@link #archive} within the caller's transaction; the caller calls {@link #reload} once it committed. */
    public Campaign archive(DSLContext tx, ProjectContext p, Actor actor, String name, Instant now) {
        StoredCampaign current = store.findForUpdate(tx, p.id(), name).orElseThrow(() -> notFound(name));
        Campaign before = typed(current);
        ObjectNode def = current.definition().deepCopy();
        def.put("active", false);
        store.update(tx, p.id(), current.id(), false, true, def, now);
        Campaign after = typed(store.findForUpdate(tx, p.id(), name).orElseThrow());
        audit.record(tx, p, actor, "campaign.archived", resource(name), CampaignView.of(before),
                CampaignView.of(after), now);
        return after;
    }

    /** Every node reloads the project's campaigns (after a change committed). */
    public void reload(ProjectContext p) {
        active.invalidate(p.id());
    }

    public Campaign get(ProjectContext p, String name) {
        return find(p, name).orElseThrow(() -> notFound(name));
    }

    public Optional<Campaign> find(ProjectContext p, String name) {
        return store.find(p.id(), name).map(this::typed);
    }

    /** {@link #find(ProjectContext, String)} read within {@code tx}. */
    public Optional<Campaign> find(DSLContext tx, ProjectContext p, String name) {
        return store.find(tx, p.id(), name).map(this::typed);
    }

    /** In creation order; {@code archived}: false (default) hides archived ones, true shows only them, null all. */
    public Page<Campaign> list(ProjectContext p, Boolean archived, Page.Request page) {
        long after = page.cursor() == null ? Long.MIN_VALUE : page.longCursor();
        return Page.of(store.list(p.id(), after, page.limit() + 1, archived), page.limit(), this::typed,
                c -> Long.toString(c.sequence()));
    }

    /**
     * A referral reward names campaigns of the project: points of a LOYALTY campaign, or codes of a CODES campaign with
     * UNIQUE codes (one is published to the referrer). Checked when the definition is saved, never at conversion.
     */
    private void checkReferences(DSLContext dsl, ProjectContext p, Input in, CampaignParser.Parsed parsed) {
        if (parsed.referral() == null) return;
        switch (parsed.referral().referrerReward()) {
            case ReferralSettings.Points points -> {
                JsonNode def = store.find(dsl, p.id(), points.program()).map(StoredCampaign::definition).orElse(null);
                if (def == null || !"LOYALTY".equals(def.path("type").asText())) {
                    in.fail("referral.referrerReward.program", "must name a LOYALTY campaign of this project");
                }
            }
            case ReferralSettings.Code code -> {
                JsonNode def = store.find(dsl, p.id(), code.campaign()).map(StoredCampaign::definition).orElse(null);
                if (def == null || !"CODES".equals(def.path("type").asText())
                        || !"UNIQUE".equals(def.path("codes").path("mode").asText())) {
                    in.fail("referral.referrerReward.campaign", "must name a CODES campaign with UNIQUE codes");
                }
            }
        }
    }

    public static String resource(String name) {
        return "campaign/" + name;
    }

    private Campaign typed(StoredCampaign c) {
        Input in = Input.of(c.definition());
        CampaignParser.Parsed parsed = parser.parse(in, c.id(), c.sequence());
        if (parsed == null) {
            // Saved definitions were validated; only a rule changed incompatibly between versions gets here.
            throw new IllegalStateException("campaign " + c.name() + " no longer validates");
        }
        return new Campaign(c.id(), c.name(), c.sequence(), c.archived(), parsed.promotion(), parsed.codes(),
                c.definition(), c.createdAt(), c.updatedAt());
    }

    private static Failure nameTaken(String name) {
        return Failure.conflict("name_taken", "a campaign named '" + name + "' exists");
    }

    private static Failure notFound(String name) {
        return Failure.notFound("campaign " + name);
    }
}
