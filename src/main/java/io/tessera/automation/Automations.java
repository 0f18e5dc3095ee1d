package io.tessera.automation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.core.Failure;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.ProjectCache;
import io.tessera.rule.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automations of each project, compiled once and held per project until its config version changes (every write
 * of an automation bumps it), so a trigger in a project without automations costs one map lookup. Shared by the
 * service, the triggers and the runs.
 */
public final class Automations {
    private static final Logger LOG = LoggerFactory.getLogger(Automations.class);
    final Database db;
    final AutomationStore store;
    final AutomationParser parser;
    private final ProjectCache<List<Automation>> cache;

    public Automations(Database db, Rules rules, ToLongFunction<String> version, long refreshMillis) {
        this.db = db;
        this.store = new AutomationStore(db);
        this.parser = new AutomationParser(rules);
        this.cache = new ProjectCache<>(this::load, version, refreshMillis);
    }

    /** The project's automations, active and paused. */
    List<Automation> of(String projectId) {
        return cache.get(projectId);
    }

    /** The project's active automations on a trigger of {@code type}. */
    List<Automation> on(String projectId, Automation.Trigger.Type type) {
        List<Automation> all = cache.get(projectId);
        if (all.isEmpty()) return List.of();
        List<Automation> out = new ArrayList<>();
        for (Automation a : all) if (a.active() && a.on().type() == type) out.add(a);
        return out;
    }

    void invalidate(String projectId) {
        cache.invalidate(projectId);
    }

    /** The automation as stored now (not cached): a run re-reads it when due. */
    Optional<Automation> byId(DSLContext dsl, String id) {
        return store.byId(dsl, id).map(this::compile);
    }

    /** A stored definition compiled again; a definition that no longer compiles is a failure of whoever reads it. */
    Automation compile(AutomationStore.Row row) {
        ObjectNode definition = (ObjectNode) Json.parse(row.definition());
        Automation a = parser.parse(definition, null);
        return new Automation(row.id(), row.name(), a.on(), a.condition(), a.delay(), a.perCustomer(),
                a.notifyDaysBefore(), a.actions(), row.active(), definition, row.createdAt(), row.updatedAt());
    }

    private List<Automation> load(String projectId) {
        List<Automation> out = new ArrayList<>();
        for (AutomationStore.Row row : store.all(projectId)) {
            try {
                out.add(compile(row));
            } catch (Failure e) {
                LOG.error("automation {} no longer compiles and is skipped: {}", row.name(), e.getMessage());
            }
        }
        return List.copyOf(out);
    }
}
