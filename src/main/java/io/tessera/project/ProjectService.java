package io.tessera.project;

import io.tessera.audit.AuditLog;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.core.Scope;
import io.tessera.db.Database;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

/** Projects and their API keys, each change with its audit entry (never the key's secret). */
public final class ProjectService {
    private final Database db;
    private final ProjectStore store;
    private final AuditLog audit;
    private final Runnable keysChanged;
    private final java.util.List<ProjectStore.OnCreate> onCreate = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code keysChanged} runs after a key or a project's settings changed (callers cache keys briefly). */
    public ProjectService(Database db, ProjectStore store, AuditLog audit, Runnable keysChanged) {
        this.db = db;
        this.store = store;
        this.audit = audit;
        this.keysChanged = keysChanged;
    }

    /** A project with its first, all-scopes key (covered by the {@code project.created} entry). */
    public ProjectStore.Created create(Actor actor, String name, String currency, ZoneId zone, int maxDiscounts,
                                       String locale, Integer rateLimit, Instant now) {
        return store.create(name, currency, zone, maxDiscounts, locale, rateLimit, now, (tx, project) -> {
            audit.record(tx, context(project), actor, "project.created", "project/" + name, null,
                    ProjectView.of(project), now);
            for (ProjectStore.OnCreate listener : onCreate) listener.created(tx, project);
        });
    }

    /** Runs {@code listener} in the transaction of every project created from now on (features' per-project setup). */
    public ProjectService onCreate(ProjectStore.OnCreate listener) {
        onCreate.add(listener);
        return this;
    }

    /** The project's approval policy ({@link ApprovalPolicy#NONE} when it has none). */
    public ApprovalPolicy approvals(ProjectContext p) {
        return get(p).approvals();
    }

    public Project get(ProjectContext p) {
        return store.find(p.id()).orElseThrow(() -> Failure.notFound("project"));
    }

    /** Changes the settings {@code change} names. */
    public Project update(ProjectContext p, Actor actor, SettingsChange change, Instant now) {
        Project after = db.transaction(tx -> {
            Project before = store.find(tx, p.id()).orElseThrow(() -> Failure.notFound("project"));
            store.update(tx, p.id(), change);
            Project changed = store.find(tx, p.id()).orElseThrow();
            audit.record(tx, p, actor, "project.updated", "project/" + before.name(), ProjectView.of(before),
                    ProjectView.of(changed), now);
            return changed;
        });
        keysChanged.run();
        return after;
    }

    public ProjectStore.KeyCreated createKey(ProjectContext p, Actor actor, String name, Set<Scope> scopes,
                                             Integer rateLimit, Instant now) {
        try {
            return db.transaction(tx -> {
                if (store.keyNamed(tx, p.id(), name)) throw keyNameTaken(name);
                ProjectStore.KeyCreated k = store.createKey(tx, p.id(), name, scopes, rateLimit, now);
                audit.record(tx, p, actor, "api-key.created", "api-key/" + k.id(), null,
                        KeyView.of(k.id(), name, scopes, now, rateLimit), now);
                return k;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw keyNameTaken(name);
            throw e;
        }
    }

    public Page<KeyView> keys(ProjectContext p, Page.Request page) {
        return store.keys(p.id(), page);
    }

    /** Sets the key's own rate limit in requests per second (null: its project's default applies). */
    public KeyView setKeyRateLimit(ProjectContext p, Actor actor, String keyId, Integer rateLimit, Instant now) {
        KeyView after = db.transaction(tx -> {
            KeyView before = store.key(tx, p.id(), keyId).orElseThrow(() -> Failure.notFound("API key " + keyId));
            store.setKeyRateLimit(tx, p.id(), keyId, rateLimit);
            KeyView changed = store.key(tx, p.id(), keyId).orElseThrow();
            audit.record(tx, p, actor, "api-key.updated", "api-key/" + keyId, before, changed, now);
            return changed;
        });
        keysChanged.run();
        return after;
    }

    public void deleteKey(ProjectContext p, Actor actor, String keyId, Instant now) {
        db.transaction(tx -> {
            KeyView before = store.key(tx, p.id(), keyId).orElseThrow(() -> Failure.notFound("API key " + keyId));
            store.deleteKey(tx, p.id(), keyId);
            audit.record(tx, p, actor, "api-key.deleted", "api-key/" + keyId, before, null, now);
            return null;
        });
        keysChanged.run();
    }

    private static Failure keyNameTaken(String name) {
        return Failure.conflict("name_taken", "an API key named '" + name + "' exists");
    }

    /** The settings services act with, of a project as stored. */
    public static ProjectContext context(Project p) {
        return new ProjectContext(p.id(), p.name(), p.timezone(), p.maxDiscountsPerOrder(), p.currency(), p.locale());
    }
}
