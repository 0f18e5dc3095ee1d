package io.tessera.automation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Failure;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.rule.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automations of each project, compiled once and held per project until its config version changes (every write
 * of an automation bumps it), so a trigger in a project without automations costs one map lookup. Shared by the
 * service, the triggers and the runs.
 *
 * <p>Like {@code db.ProjectCache} (a node re-reads the version at most every {@code refreshMillis}), but read through
 * the caller's transaction: triggers run inside orders, events and redemptions, and a second connection taken there
 * would let a burst of them hold the whole pool while each waits for one more.
 */
public final class Automations {
    private static final Logger LOG = LoggerFactory.getLogger(Automations.class);
    final Database db;
    final AutomationStore store;
    final AutomationParser parser;
    private final long refreshNanos;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(List<Automation> automations, long version, long checkedAt) {
    }

    public Automations(Database db, Rules rules, long refreshMillis) {
        this.db = db;
        this.store = new AutomationStore(db);
        this.parser = new AutomationParser(rules);
        this.refreshNanos = refreshMillis * 1_000_000L;
    }

    /** The project's automations, active and paused, read through {@code dsl} when the cached ones may be stale. */
    List<Automation> of(DSLContext dsl, String projectId) {
        long now = System.nanoTime();
        Entry e = entries.get(projectId);
        if (e != null && now - e.checkedAt < refreshNanos) return e.automations;
        long v = Sql.longValue(dsl.fetchValue("select config_version from projects where id = ?", projectId));
        if (e != null && e.version == v) {
            entries.put(projectId, new Entry(e.automations, v, now));
            return e.automations;
        }
        // The version is read before loading: a change racing with the load is caught on the next check.
        List<Automation> loaded = load(dsl, projectId);
        entries.put(projectId, new Entry(loaded, v, now));
        return loaded;
    }

    /** The project's active automations on a trigger of {@code type}. */
    List<Automation> on(DSLContext dsl, String projectId, Automation.Trigger.Type type) {
        List<Automation> all = of(dsl, projectId);
        if (all.isEmpty()) return List.of();
        List<Automation> out = new ArrayList<>();
        for (Automation a : all) if (a.active() && a.on().type() == type) out.add(a);
        return out;
    }

    void invalidate(String projectId) {
        entries.remove(projectId);
    }

    /** The automation as stored now (not cached): a run re-reads it when due. */
    Optional<Automation> byId(DSLContext dsl, String projectId, String id) {
        return store.byId(dsl, projectId, id).map(this::compile);
    }

    /** A stored definition compiled again; a definition that no longer compiles is a failure of whoever reads it. */
    Automation compile(AutomationStore.Row row) {
        ObjectNode definition = (ObjectNode) Json.parse(row.definition());
        Automation a = parser.parse(definition, null);
        return new Automation(row.id(), row.name(), a.on(), a.condition(), a.delay(), a.perCustomer(),
                a.notifyDaysBefore(), a.actions(), row.active(), definition, row.createdAt(), row.updatedAt());
    }

    private List<Automation> load(DSLContext dsl, String projectId) {
        List<Automation> out = new ArrayList<>();
        for (AutomationStore.Row row : store.all(dsl, projectId)) {
            try {
                out.add(compile(row));
            } catch (Failure e) {
                LOG.error("automation {} no longer compiles and is skipped: {}", row.name(), e.getMessage());
            }
        }
        return List.copyOf(out);
    }
}
