package io.tessera.automation;

import io.tessera.core.NamedResources;
import io.tessera.webhook.Webhooks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.audit.AuditLog;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.customer.PersonalData;
import io.tessera.customer.SegmentStore;
import io.tessera.db.Database;
import io.tessera.discount.PromotionKind;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Automations: create, list, read, patch (also {@code "active": false} to pause and {@code true} to resume), delete
 * — audited as {@code automation.created|updated|deleted} on {@code automation/<name>} — and the runs log. Runs hold
 * customer ids, so they join the customer's export and erasure ({@link PersonalData}).
 */
public final class AutomationService implements PersonalData, NamedResources {
    private static final Set<String> STATUSES = Set.of(Run.SCHEDULED, Run.DONE, Run.SKIPPED, Run.FAILED);
    private final Automations automations;
    private final Database db;
    private final CampaignService campaigns;
    private final SegmentStore segments;
    private final BirthdaySweep birthdays;
    private final AuditLog audit;
    private final Webhooks webhooks;

    public AutomationService(Automations automations, CampaignService campaigns, SegmentStore segments,
                             Webhooks webhooks, BirthdaySweep birthdays, AuditLog audit) {
        this.webhooks = webhooks;
        this.automations = automations;
        this.db = automations.db;
        this.campaigns = campaigns;
        this.segments = segments;
        this.birthdays = birthdays;
        this.audit = audit;
    }

    @Override
    public Map<String, Object> create(ProjectContext p, Actor actor, JsonNode body, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        Automation a = automations.parser.parse(body, references(p));
        if (store().find(db.dsl(), p.id(), a.name(), false).isPresent()) throw nameTaken(a.name());
        Map<String, Object> created;
        try {
            created = db.transaction(tx -> {
                store().insert(tx, p.id(), Ids.next("aut"), a.name(), a.on().text(), Json.text(a.definition()),
                        a.active(), now);
                Map<String, Object> view = saved(tx, p, a.name(), now);
                audit.record(tx, p, actor, "automation.created", resource(a.name()), null, view, now);
                return view;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw nameTaken(a.name());
            throw e;
        }
        automations.invalidate(p.id());
        return created;
    }

    /**
     * Validates a definition without saving it (a project import checks a whole document first). {@code pending} names
     * what the caller creates before it, by kind ({@code campaign}: UNIQUE CODES campaigns, {@code program}, {@code
     * webhook}, {@code segment}: dynamic ones); they count as valid references.
     */
    public void validate(ProjectContext p, JsonNode body, Map<String, Set<String>> pending) {
        AutomationParser.References target = references(p);
        automations.parser.parse(body, new AutomationParser.References() {
            @Override
            public String campaign(String name) {
                return pending.getOrDefault("campaign", Set.of()).contains(name) ? null : target.campaign(name);
            }

            @Override
            public String program(String name) {
                return pending.getOrDefault("program", Set.of()).contains(name) ? null : target.program(name);
            }

            @Override
            public String webhook(String name) {
                return pending.getOrDefault("webhook", Set.of()).contains(name) ? null : target.webhook(name);
            }

            @Override
            public String segment(String name) {
                return pending.getOrDefault("segment", Set.of()).contains(name) ? null : target.segment(name);
            }
        });
    }

    @Override
    public Map<String, Object> get(ProjectContext p, String name) {
        return automations.compile(row(db.dsl(), p, name, false)).view();
    }

    /** In name order. */
    @Override
    public Page<Map<String, Object>> list(ProjectContext p, Page.Request page) {
        String after = page.cursor() == null ? "" : page.cursor();
        return Page.of(store().page(p.id(), after, page.limit() + 1), page.limit(),
                r -> automations.compile(r).view(), AutomationStore.Row::name);
    }

    /** RFC 7396 merge patch over the saved definition (and {@code active}), validated whole; the name is fixed. */
    @Override
    public Map<String, Object> patch(ProjectContext p, Actor actor, String name, JsonNode patch, Instant at) {
        if (!patch.isObject()) throw Failure.invalid("body", "must be a JSON object (a merge patch)");
        if (patch.has("name") && !patch.get("name").asText().equals(name))
            throw Failure.invalid("name", "cannot be changed");
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        // Validated before the transaction: the reference checks read on other connections.
        AutomationStore.Row current = row(db.dsl(), p, name, false);
        ObjectNode merged = (ObjectNode) Json.parse(current.definition());
        merged.put("active", current.active());
        io.tessera.core.Json.mergePatch(merged, patch);
        Automation a = automations.parser.parse(merged, references(p));
        Map<String, Object> after = db.transaction(tx -> {
            AutomationStore.Row locked = row(tx, p, name, true);
            Map<String, Object> before = automations.compile(locked).view();
            store().update(tx, locked, a.on().text(), Json.text(a.definition()), a.active(), now);
            Map<String, Object> view = saved(tx, p, name, now);
            audit.record(tx, p, actor, "automation.updated", resource(name), before, view, now);
            return view;
        });
        automations.invalidate(p.id());
        return after;
    }

    /**
     * Deletes the automation. Its runs are no longer listed, but stay: those still due are SKIPPED when they come due,
     * and a customer's export still shows what was done for them.
     */
    @Override
    public void delete(ProjectContext p, Actor actor, String name, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.MICROS);
        db.transaction(tx -> {
            AutomationStore.Row row = row(tx, p, name, true);
            Map<String, Object> before = automations.compile(row).view();
            store().delete(tx, row);
            audit.record(tx, p, actor, "automation.deleted", resource(name), before, null, now);
            return null;
        });
        automations.invalidate(p.id());
    }

    /** The automation's runs, newest first; {@code status} and {@code customer} narrow it (null: all). */
    public Page<Map<String, Object>> runs(ProjectContext p, String name, String status, String customer,
                                          Page.Request page) {
        if (status != null && !STATUSES.contains(status))
            throw Failure.invalid("status", "must be SCHEDULED, DONE, SKIPPED or FAILED");
        AutomationStore.Row row = row(db.dsl(), p, name, false);
        long before = page.cursor() == null ? Long.MAX_VALUE : page.longCursor();
        return Page.of(store().runs(p.id(), row.id(), status, customer, before, page.limit() + 1), page.limit(),
                Run::view, r -> Long.toString(r.seq()));
    }

    // ---- personal data ----

    @Override
    public String section() {
        return "automationRuns";
    }

    @Override
    public Object export(String projectId, String customerId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Record r : store().customerRuns(projectId, customerId)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("automation", r.get("automation_name", String.class));
            m.putAll(AutomationStore.run(r).view());
            m.put("triggerData", AutomationStore.run(r).triggerData());
            out.add(m);
        }
        return out;
    }

    @Override
    public void erase(DSLContext tx, String projectId, String customerId, String pseudonym, Instant now) {
        store().erase(tx, projectId, customerId, pseudonym);
    }

    // ---- helpers ----

    /** The automation as just written; a birthday automation that is active makes sure the daily sweep is scheduled. */
    private Map<String, Object> saved(DSLContext tx, ProjectContext p, String name, Instant now) {
        Automation a = automations.compile(row(tx, p, name, false));
        if (a.active() && a.on().type() == Automation.Trigger.Type.BIRTHDAY) birthdays.schedule(tx, p, now);
        return a.view();
    }

    private AutomationStore.Row row(DSLContext dsl, ProjectContext p, String name, boolean forUpdate) {
        return store().find(dsl, p.id(), name, forUpdate)
                .orElseThrow(() -> Failure.notFound("automation " + name));
    }

    private AutomationParser.References references(ProjectContext p) {
        return new AutomationParser.References() {
            @Override
            public String campaign(String name) {
                Campaign c = campaigns.find(p, name).orElse(null);
                if (c == null) return "no campaign named " + name;
                if (c.codes() == null || !c.codes().unique()) return "must be a CODES campaign with UNIQUE codes";
                if (c.archived()) return "campaign " + name + " is archived";
                return null;
            }

            @Override
            public String program(String name) {
                Campaign c = campaigns.find(p, name).orElse(null);
                if (c == null) return "no loyalty program named " + name;
                if (c.promotion().kind() != PromotionKind.LOYALTY) return name + " is not a LOYALTY campaign";
                if (c.archived()) return "program " + name + " is archived";
                return null;
            }

            @Override
            public String webhook(String name) {
                return webhooks.exists(p, name) ? null : "no webhook named " + name;
            }

            @Override
            public String segment(String name) {
                SegmentStore.Segment s = segments.find(p.id(), name).orElse(null);
                if (s == null) return "no segment named " + name;
                if (!s.dynamic()) return "segment " + name + " is static: segment_entered needs a dynamic segment";
                return null;
            }
        };
    }

    static String resource(String name) {
        return "automation/" + name;
    }

    private static Failure nameTaken(String name) {
        return Failure.conflict("name_taken", "an automation named '" + name + "' exists");
    }

    private AutomationStore store() {
        return automations.store;
    }
}
