package io.tessera.transfer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.audit.AuditLog;
import io.tessera.automation.AutomationService;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.campaign.ReferralSettings;
import io.tessera.core.Actor;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerService;
import io.tessera.customer.SegmentView;
import io.tessera.db.Database;
import io.tessera.loyalty.Reward;
import io.tessera.loyalty.Rewards;
import io.tessera.project.Project;
import io.tessera.project.ProjectService;
import io.tessera.project.SettingsChange;
import io.tessera.rule.RuleException;
import io.tessera.rule.Rules;
import io.tessera.webhook.Webhooks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A project's configuration as one JSON document ({@code tessera.project/1}) and its import into another project:
 * settings, segments (definitions only), campaigns (no codes), loyalty rewards, webhooks (no secrets) and automations.
 * Every change goes through the feature's own service with the caller's actor, so each one is validated and audited
 * as if it had been made through its own endpoint. An import creates what is missing and updates what differs, matched
 * by name; it never deletes.
 */
public final class ProjectTransfer {
    public static final String FORMAT = "tessera.project/1";
    private static final Set<String> SECTIONS = Set.of("format", "exportedAt", "settings", "segments", "campaigns",
            "rewards", "webhooks", "automations");
    private static final Set<String> TIMES = Set.of("createdAt", "updatedAt");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Database db;
    private final AuditLog audit;
    private final Rules rules;
    private final ProjectService projects;
    private final CustomerService customers;
    private final CampaignService campaigns;
    private final CampaignParser parser;
    private final Rewards rewards;
    private final Webhooks webhooks;
    private final AutomationService automations;

    public ProjectTransfer(Database db, AuditLog audit, Rules rules, ProjectService projects, CustomerService customers,
                           CampaignService campaigns, CampaignParser parser, Rewards rewards, Webhooks webhooks,
                           AutomationService automations) {
        this.db = db;
        this.audit = audit;
        this.rules = rules;
        this.projects = projects;
        this.customers = customers;
        this.campaigns = campaigns;
        this.parser = parser;
        this.rewards = rewards;
        this.webhooks = webhooks;
        this.automations = automations;
    }

    // ---- export ----

    /** The document, its sections in the order an import applies them. Archived campaigns and rewards are left out. */
    public ObjectNode export(ProjectContext p, Instant now) {
        ObjectNode doc = NODES.objectNode();
        doc.put("format", FORMAT);
        doc.put("exportedAt", now.toString());
        doc.set("settings", settings(projects.get(p)));
        ArrayNode segments = doc.putArray("segments");
        for (SegmentView s : all(r -> customers.segments(p, r))) segments.add(segment(s));
        ArrayNode campaignList = doc.putArray("campaigns");
        ArrayNode rewardList = doc.putArray("rewards");
        List<Campaign> cs = all(r -> campaigns.list(p, false, r));
        for (Campaign c : cs) campaignList.add(c.definition().deepCopy());
        for (Campaign c : cs) {
            if (!"LOYALTY".equals(c.definition().path("type").asText())) continue;
            for (Reward r : all(page -> rewards.list(p, c.name(), false, page))) rewardList.add(reward(r));
        }
        ArrayNode hooks = doc.putArray("webhooks");
        for (JsonNode w : all(r -> webhookPage(p, r))) hooks.add(webhook(w));
        ArrayNode autos = doc.putArray("automations");
        for (Map<String, Object> a : all(r -> automations.list(p, r))) autos.add(automation(a));
        return doc;
    }

    private static ObjectNode settings(Project project) {
        ObjectNode s = NODES.objectNode();
        s.put("timezone", project.timezone().getId());
        s.put("maxDiscountsPerOrder", project.maxDiscountsPerOrder());
        if (project.locale() != null) s.put("locale", project.locale());
        if (project.rateLimit() != null) s.put("rateLimit", project.rateLimit());
        if (!project.approvals().equals(io.tessera.project.ApprovalPolicy.NONE))
            s.set("approvals", io.tessera.core.Json.MAPPER.valueToTree(project.approvals()));
        return s;
    }

    /** A static segment's members are customers: only its definition travels, with an empty member list. */
    private static ObjectNode segment(SegmentView s) {
        ObjectNode n = NODES.objectNode().put("name", s.name());
        if (s.condition() != null) n.put("condition", s.condition());
        else n.putArray("customers");
        return n;
    }

    private static ObjectNode reward(Reward r) {
        ObjectNode n = NODES.objectNode().put("program", r.program()).put("name", r.name()).put("cost", r.cost());
        n.putObject("grant").put("campaign", r.grant().campaign());
        if (r.stock() != null) n.put("stock", r.stock());
        return n;
    }

    /** The webhooks' views, as JSON (their type is the webhook package's own). */
    private Page<JsonNode> webhookPage(ProjectContext p, Page.Request r) {
        Page<?> page = webhooks.list(p, r);
        return new Page<>(page.data().stream().<JsonNode>map(Json.MAPPER::valueToTree).toList(), page.nextCursor());
    }

    /** The webhook's definition without its secret (which the API never shows) and its state. */
    private static ObjectNode webhook(JsonNode view) {
        ObjectNode n = NODES.objectNode();
        for (String f : List.of("name", "url", "events", "rateLimit")) n.set(f, view.get(f));
        return n;
    }

    private static ObjectNode automation(Map<String, Object> view) {
        ObjectNode n = Json.MAPPER.valueToTree(view);
        n.remove(TIMES);
        return n;
    }

    private static <T> List<T> all(Function<Page.Request, Page<T>> pages) {
        List<T> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<T> page = pages.apply(new Page.Request(Page.Request.MAX_LIMIT, cursor));
            out.addAll(page.data());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    // ---- import ----

    /** One planned change: {@code apply} is null when nothing is to be done. */
    private record Change(String field, String resource, String action, Map<String, Object> diff, Runnable apply) {
        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("resource", resource);
            m.put("action", action);
            m.put("diff", diff);
            return m;
        }
    }

    /**
     * Plans the import against the project as it is, validating every resource first (a 422 naming
     * {@code document.<section>[i].<field>} for all bad ones, nothing applied); unless {@code dryRun}, then applies
     * the changes in dependency order, each through its service in a transaction of its own.
     */
    public Map<String, Object> importDocument(ProjectContext p, Actor actor, JsonNode document, boolean dryRun,
                                              Instant now) {
        List<FieldError> errors = new ArrayList<>();
        Map<String, String> secrets = new LinkedHashMap<>();
        List<Change> changes = plan(p, actor, document, errors, secrets, now);
        if (!errors.isEmpty()) throw Failure.invalid(errors);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("dryRun", dryRun);
        answer.put("changes", changes.stream().map(Change::view).toList());
        if (!dryRun) {
            for (Change c : changes) {
                if (c.apply() == null) continue;
                try {
                    c.apply().run();
                } catch (Failure f) {
                    throw Failure.conflict("import_incomplete", c.resource() + " could not be applied (" + f.getMessage()
                            + "); the changes listed before it were applied", located(c.field(), f));
                }
            }
            db.transaction(tx -> {
                Map<String, Object> summary = new LinkedHashMap<>();
                for (Change c : changes) summary.put(c.resource(), c.action());
                audit.record(tx, p, actor, "project.imported", "project/" + p.name(), null, summary, now);
                return null;
            });
            if (!secrets.isEmpty()) answer.put("secrets", secrets);
        }
        answer.put("applied", !dryRun);
        return answer;
    }

    private static List<FieldError> located(String field, Failure f) {
        if (f.errors().isEmpty()) return List.of(new FieldError(field, f.getMessage()));
        return f.errors().stream().map(e -> new FieldError(field + "." + e.field(), e.message())).toList();
    }

    private List<Change> plan(ProjectContext p, Actor actor, JsonNode document, List<FieldError> errors,
                              Map<String, String> secrets, Instant now) {
        if (document == null || !document.isObject()) {
            errors.add(new FieldError("document", "must be a " + FORMAT + " document (a JSON object)"));
            return List.of();
        }
        if (!FORMAT.equals(document.path("format").asText(null)))
            errors.add(new FieldError("document.format", "must be \"" + FORMAT + "\""));
        for (Iterator<String> it = document.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!SECTIONS.contains(f)) errors.add(new FieldError("document." + f, "is not a section of " + FORMAT));
        }
        List<Change> changes = new ArrayList<>();
        settings(p, actor, document.get("settings"), errors, changes, now);
        // Names the document itself provides, by kind, so that later sections may refer to them before they exist.
        Map<String, Set<String>> pending = Map.of("campaign", new HashSet<>(), "program", new HashSet<>(),
                "webhook", new HashSet<>(), "segment", new HashSet<>());
        for (Item it : items(document, "segments", errors)) {
            segment(p, actor, it, errors, changes, now);
            if (it.node().hasNonNull("condition")) pending.get("segment").add(it.node().path("name").asText());
        }
        Set<String> uniqueCodes = new HashSet<>();
        for (Item it : items(document, "campaigns", errors)) {
            campaign(p, actor, it, pending.get("program"), uniqueCodes, errors, changes, now);
            String name = it.node().path("name").asText();
            String type = it.node().path("type").asText();
            boolean unique = "UNIQUE".equals(it.node().path("codes").path("mode").asText());
            if ("LOYALTY".equals(type)) pending.get("program").add(name);
            if (unique) pending.get("campaign").add(name);
            if (unique && "CODES".equals(type)) uniqueCodes.add(name);
        }
        for (Item it : items(document, "rewards", errors)) reward(p, actor, it, pending.get("program"), errors, changes, now);
        for (Item it : items(document, "webhooks", errors)) {
            webhook(p, actor, it, errors, changes, secrets, now);
            pending.get("webhook").add(it.node().path("name").asText());
        }
        for (Item it : items(document, "automations", errors)) automation(p, actor, it, pending, errors, changes, now);
        return changes;
    }

    private record Item(String field, JsonNode node) {
    }

    private static List<Item> items(JsonNode document, String section, List<FieldError> errors) {
        JsonNode list = document.get(section);
        String field = "document." + section;
        if (list == null || list.isNull()) return List.of();
        if (!list.isArray()) {
            errors.add(new FieldError(field, "must be an array"));
            return List.of();
        }
        List<Item> items = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String f = field + "[" + i + "]";
            JsonNode n = list.get(i);
            if (!n.isObject()) {
                errors.add(new FieldError(f, "must be an object"));
                continue;
            }
            String key = n.path("program").asText("") + "/" + n.path("name").asText("");
            if (!names.add(key)) errors.add(new FieldError(f + ".name", "appears twice in " + section));
            items.add(new Item(f, n));
        }
        return items;
    }

    /** Runs a validation, moving the fields it names under {@code field}; false if it failed. */
    private static boolean valid(String field, List<FieldError> errors, Runnable check) {
        try {
            check.run();
            return true;
        } catch (Failure f) {
            errors.addAll(located(field, f));
            return false;
        }
    }

    private void settings(ProjectContext p, Actor actor, JsonNode s, List<FieldError> errors, List<Change> changes,
                          Instant now) {
        if (s == null || s.isNull()) return;
        String field = "document.settings";
        if (!s.isObject()) {
            errors.add(new FieldError(field, "must be an object"));
            return;
        }
        SettingsChange[] parsed = new SettingsChange[1];
        if (!valid(field, errors, () -> {
            Input in = Input.of(s);
            parsed[0] = SettingsChange.read(in);
            in.check();
        })) return;
        ObjectNode current = settings(projects.get(p));
        // Only the settings the document names are compared and changed (null removes a locale, a rate limit or
        // the approval policy; a null for one the project does not have is no change).
        ObjectNode wanted = current.deepCopy();
        s.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) wanted.remove(e.getKey());
            else wanted.set(e.getKey(), e.getValue());
        });
        Map<String, Object> diff = diff(current, wanted);
        changes.add(new Change(field, "project/" + p.name(), diff.isEmpty() ? "unchanged" : "update", diff,
                diff.isEmpty() ? null : () -> projects.update(p, actor, parsed[0], now)));
    }

    private void segment(ProjectContext p, Actor actor, Item it, List<FieldError> errors, List<Change> changes,
                         Instant now) {
        String[] def = new String[2];
        if (!valid(it.field(), errors, () -> {
            Input in = Input.of(it.node()).allow(Set.of("name", "condition", "customers"));
            def[0] = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
            def[1] = in.string("condition", false);
            List<String> members = in.strings("customers", false);
            if (members != null && !members.isEmpty())
                in.fail("customers", "members are customers and are not imported; must be empty");
            if (def[1] != null && members != null)
                in.fail("customers", "a segment is either dynamic (condition) or static (customers), not both");
            if (def[1] != null) {
                try {
                    rules.condition(def[1]);
                } catch (RuleException e) {
                    in.fail("condition", e.getMessage());
                }
            }
            in.check();
        })) return;
        String resource = "segment/" + def[0];
        SegmentView current = find(() -> customers.getSegment(p, def[0]));
        ObjectNode wanted = NODES.objectNode().put("type", def[1] == null ? "STATIC" : "DYNAMIC");
        if (def[1] != null) wanted.put("condition", def[1]);
        if (current == null) {
            changes.add(new Change(it.field(), resource, "create", diff(NODES.objectNode(), wanted),
                    () -> customers.createSegment(p, actor, def[0], def[1], def[1] == null ? List.of() : null, now)));
            return;
        }
        ObjectNode have = NODES.objectNode().put("type", current.type());
        if (current.condition() != null) have.put("condition", current.condition());
        Map<String, Object> diff = diff(have, wanted);
        if (!diff.isEmpty()) {
            // A segment has no update: replacing it would drop a static segment's members or break its users.
            errors.add(new FieldError(it.field() + ".condition", "differs from segment " + def[0]
                    + " of this project, and a segment cannot be changed; delete or rename it there first"));
            return;
        }
        changes.add(new Change(it.field(), resource, "unchanged", diff, null));
    }

    /**
     * A REFERRAL campaign's reward names a LOYALTY campaign ({@code programs}) or a CODES campaign with UNIQUE codes
     * ({@code uniqueCodes}) that the document creates before it or the project has.
     */
    private void campaign(ProjectContext p, Actor actor, Item it, Set<String> programs, Set<String> uniqueCodes,
                          List<FieldError> errors, List<Change> changes, Instant now) {
        ObjectNode[] def = new ObjectNode[1];
        if (!valid(it.field(), errors, () -> {
            Input in = Input.of(it.node());
            CampaignParser.Parsed parsed = parser.parse(in, "cmp_import", 0);
            if (parsed != null && parsed.referral() != null) {
                switch (parsed.referral().referrerReward()) {
                    case ReferralSettings.Points points -> {
                        if (!programs.contains(points.program()) && !existing(p, points.program(), "LOYALTY", false))
                            in.fail("referral.referrerReward.program",
                                    "must name a LOYALTY campaign of this project or of the document");
                    }
                    case ReferralSettings.Code code -> {
                        if (!uniqueCodes.contains(code.campaign()) && !existing(p, code.campaign(), "CODES", true))
                            in.fail("referral.referrerReward.campaign", "must name a CODES campaign with UNIQUE codes"
                                    + " of this project or of the document");
                    }
                }
            }
            in.check();
            def[0] = parsed.definition();
        })) return;
        String name = def[0].get("name").asText();
        String resource = CampaignService.resource(name);
        Campaign current = campaigns.find(p, name).orElse(null);
        if (current == null) {
            changes.add(new Change(it.field(), resource, "create", diff(NODES.objectNode(), def[0]),
                    () -> campaigns.create(p, actor, def[0], now)));
            return;
        }
        JsonNode have = current.definition();
        for (String fixed : List.of("type", "codes")) {
            if (!Objects.equals(have.get(fixed), def[0].get(fixed)))
                errors.add(new FieldError(it.field() + "." + fixed, "differs from campaign " + name
                        + " of this project and cannot be changed"));
        }
        Map<String, Object> diff = diff(have, def[0]);
        changes.add(new Change(it.field(), resource, diff.isEmpty() ? "unchanged" : "update", diff, diff.isEmpty()
                ? null : () -> campaigns.patch(p, actor, name, mergePatch(have, def[0]), now)));
    }

    private boolean existing(ProjectContext p, String campaign, String type, boolean uniqueCodes) {
        return campaigns.find(p, campaign).map(Campaign::definition).filter(d -> type.equals(d.path("type").asText())
                && (!uniqueCodes || "UNIQUE".equals(d.path("codes").path("mode").asText()))).isPresent();
    }

    private void reward(ProjectContext p, Actor actor, Item it, Set<String> programs, List<FieldError> errors,
                        List<Change> changes, Instant now) {
        String[] names = new String[2];
        if (!valid(it.field(), errors, () -> {
            Input in = Input.of(it.node()).allow(Set.of("program", "name", "cost", "grant", "stock"));
            names[0] = in.string("program", true, Checks.NAME, Checks.NAME_RULE);
            names[1] = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
            in.integer("cost", true, 1, Long.MAX_VALUE);
            Input grant = in.object("grant", true);
            if (grant != null) grant.string("campaign", true, Checks.NAME, Checks.NAME_RULE);
            in.integer("stock", false, 0, Long.MAX_VALUE);
            if (names[0] != null && !programs.contains(names[0]) && !existing(p, names[0], "LOYALTY", false))
                in.fail("program", "must name a LOYALTY campaign of this project or of the document");
            in.check();
        })) return;
        ObjectNode wanted = it.node().deepCopy();
        wanted.remove("program");
        String resource = "loyalty/" + names[0] + "/rewards/" + names[1];
        Reward current = find(() -> rewards.get(p, names[0], names[1]));
        if (current == null) {
            changes.add(new Change(it.field(), resource, "create", diff(NODES.objectNode(), wanted),
                    () -> rewards.create(p, actor, names[0], wanted, now)));
            return;
        }
        ObjectNode have = reward(current);
        have.remove("program");
        Map<String, Object> diff = diff(have, wanted);
        changes.add(new Change(it.field(), resource, diff.isEmpty() ? "unchanged" : "update", diff, diff.isEmpty()
                ? null : () -> rewards.patch(p, actor, names[0], names[1], mergePatch(have, wanted), now)));
    }

    /** A new webhook gets a generated secret, returned once in the import's answer ({@code secrets}). */
    private void webhook(ProjectContext p, Actor actor, Item it, List<FieldError> errors, List<Change> changes,
                         Map<String, String> secrets, Instant now) {
        String[] name = new String[1];
        if (!valid(it.field(), errors, () -> {
            Input in = Input.of(it.node()).allow(Set.of("name", "url", "events", "rateLimit"));
            name[0] = in.string("name", true, Checks.NAME, Checks.NAME_RULE);
            in.string("url", true);
            List<String> events = in.strings("events", true);
            if (events != null) {
                for (int i = 0; i < events.size(); i++)
                    if (!Webhooks.EVENT_TYPES.contains(events.get(i)))
                        in.fail("events[" + i + "]", "is not an event type: " + new TreeSet<>(Webhooks.EVENT_TYPES));
            }
            in.integer("rateLimit", false, 1, Long.MAX_VALUE);
            in.check();
        })) return;
        ObjectNode wanted = it.node().deepCopy();
        String resource = "webhook/" + name[0];
        JsonNode current = find(() -> Json.MAPPER.valueToTree(webhooks.get(p, name[0])));
        if (current == null) {
            changes.add(new Change(it.field(), resource, "create", diff(NODES.objectNode(), wanted), () -> {
                Map<String, Object> created = webhooks.create(p, actor, wanted, now);
                secrets.put(name[0], (String) created.get("secret"));
            }));
            return;
        }
        ObjectNode have = webhook(current);
        if (!wanted.has("rateLimit")) have.remove("rateLimit");
        Map<String, Object> diff = diff(have, wanted);
        changes.add(new Change(it.field(), resource, diff.isEmpty() ? "unchanged" : "update", diff, diff.isEmpty()
                ? null : () -> webhooks.patch(p, actor, name[0], wanted, now)));
    }

    /** Its references may name campaigns, segments and webhooks the same document creates ({@code pending}). */
    private void automation(ProjectContext p, Actor actor, Item it, Map<String, Set<String>> pending,
                            List<FieldError> errors, List<Change> changes, Instant now) {
        ObjectNode wanted = it.node().deepCopy();
        wanted.remove(TIMES);
        if (!valid(it.field(), errors, () -> automations.validate(p, wanted, pending))) return;
        String name = wanted.get("name").asText();
        String resource = "automation/" + name;
        Map<String, Object> found = find(() -> automations.get(p, name));
        if (found == null) {
            changes.add(new Change(it.field(), resource, "create", diff(NODES.objectNode(), wanted),
                    () -> automations.create(p, actor, wanted, now)));
            return;
        }
        ObjectNode have = automation(found);
        Map<String, Object> diff = diff(have, wanted);
        changes.add(new Change(it.field(), resource, diff.isEmpty() ? "unchanged" : "update", diff, diff.isEmpty()
                ? null : () -> automations.patch(p, actor, name, mergePatch(have, wanted), now)));
    }

    private static <T> T find(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (Failure.NotFound e) {
            return null;
        }
    }

    // ---- differences ----

    /** Leaf by leaf (arrays are leaves), as dotted paths: {@code {"discount.percent": {"from": 10, "to": 20}}}. */
    static Map<String, Object> diff(JsonNode from, JsonNode to) {
        Map<String, JsonNode> a = new LinkedHashMap<>();
        Map<String, JsonNode> b = new LinkedHashMap<>();
        flatten("", from, a);
        flatten("", to, b);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        Map<String, Object> diff = new LinkedHashMap<>();
        for (String k : keys) {
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (same(x, y)) continue;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("from", x);
            d.put("to", y);
            diff.put(k, d);
        }
        return diff;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, JsonNode> out) {
        if (n.isObject() && !n.isEmpty()) {
            n.fields().forEachRemaining(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (!prefix.isEmpty() && !n.isNull()) {
            out.put(prefix, n);
        }
    }

    /** Numbers compare by value: 10 and 10.0 are the same setting. */
    private static boolean same(JsonNode x, JsonNode y) {
        if (x == null || y == null) return x == y;
        if (x.isNumber() && y.isNumber()) return x.decimalValue().compareTo(y.decimalValue()) == 0;
        return x.equals(y);
    }

    /** The RFC 7396 merge patch that turns {@code from} into {@code to}. */
    static ObjectNode mergePatch(JsonNode from, JsonNode to) {
        ObjectNode patch = NODES.objectNode();
        from.fieldNames().forEachRemaining(k -> {
            if (!to.has(k) || to.get(k).isNull()) patch.putNull(k);
        });
        to.fields().forEachRemaining(e -> {
            JsonNode have = from.get(e.getKey());
            JsonNode want = e.getValue();
            if (want.isNull() || same(have, want)) return;
            if (have != null && have.isObject() && want.isObject()) patch.set(e.getKey(), mergePatch(have, want));
            else patch.set(e.getKey(), want);
        });
        return patch;
    }
}
