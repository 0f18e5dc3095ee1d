package io.tessera.project;

import static io.tessera.db.Sql.instant;
import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import io.tessera.core.Failure;
import io.tessera.core.Ids;
import io.tessera.core.Keys;
import io.tessera.core.ProjectContext;
import io.tessera.core.Principal;
import io.tessera.core.Scope;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jooq.DSLContext;
import org.jooq.Record;

/** Projects, their API keys (hashed) and the root key. */
public final class ProjectStore {
    private final Database db;

    public ProjectStore(Database db) {
        this.db = db;
    }

    public record Created(Project project, String apiKey) {
    }

    public record KeyCreated(String id, String name, Set<Scope> scopes, Integer rateLimit, String key) {
    }

    /** Called within the creating transaction with the new project (e.g. to audit it). */
    public interface OnCreate {
        void created(org.jooq.DSLContext tx, Project project);
    }

    public Created create(String name, String currency, ZoneId zone, int maxDiscounts, String locale,
                          Integer rateLimit, Instant now, OnCreate onCreate) {
        String id = Ids.next("prj");
        String secret = Keys.newSecret("tsk_");
        try {
            db.transaction(tx -> {
                tx.execute("insert into projects (id, name, currency, timezone, max_discounts_per_order, locale, "
                        + "created_at, rate_limit) values (?, ?, ?, ?, ?, ?, ?, ?)", id, name, currency, zone.getId(),
                        maxDiscounts, locale, ts(now), rateLimit);
                insertKey(tx, id, "default", EnumSet.of(Scope.ADMIN), null, secret, now);
                onCreate.created(tx, new Project(id, name, currency, zone, maxDiscounts, locale, now, ApprovalPolicy.NONE,
                        rateLimit));
                return null;
            });
        } catch (RuntimeException e) {
            if (Database.isUniqueViolation(e)) throw Failure.conflict("name_taken", "a project named '" + name + "' exists");
            throw e;
        }
        return new Created(new Project(id, name, currency, zone, maxDiscounts, locale, now, ApprovalPolicy.NONE,
                rateLimit), secret);
    }

    public KeyCreated createKey(org.jooq.DSLContext tx, String projectId, String name, Set<Scope> scopes,
                                Integer rateLimit, Instant now) {
        String secret = Keys.newSecret("tsk_");
        String id = insertKey(tx, projectId, name, scopes, rateLimit, secret, now);
        return new KeyCreated(id, name, scopes, rateLimit, secret);
    }

    public boolean keyNamed(org.jooq.DSLContext tx, String projectId, String name) {
        return tx.fetchExists(tx.selectOne().from("api_keys").where("project_id = ? and name = ?", projectId, name));
    }

    private static String insertKey(org.jooq.DSLContext tx, String projectId, String name, Set<Scope> scopes,
                                    Integer rateLimit, String secret, Instant now) {
        String id = Ids.next("key");
        String scopeText = scopes.stream().map(Scope::value).sorted().collect(Collectors.joining(","));
        tx.execute("insert into api_keys (id, project_id, name, scopes, key_hash, created_at, rate_limit) "
                + "values (?, ?, ?, ?, ?, ?, ?)", id, projectId, name, scopeText, Keys.hash(secret), ts(now), rateLimit);
        return id;
    }

    /** In creation order (ids are time-ordered). */
    public io.tessera.core.Page<KeyView> keys(String projectId, io.tessera.core.Page.Request page) {
        String after = page.cursor() == null ? "" : page.cursor();
        var rows = db.dsl().fetch("select id, name, scopes, created_at, rate_limit from api_keys where project_id = ? and id > ? "
                + "order by id limit ?", projectId, after, page.limit() + 1);
        return io.tessera.core.Page.of(rows, page.limit(), ProjectStore::keyView, r -> r.get("id", String.class));
    }

    public Optional<KeyView> key(org.jooq.DSLContext tx, String projectId, String keyId) {
        return tx.fetchOptional("select id, name, scopes, created_at, rate_limit from api_keys where project_id = ? and id = ?",
                projectId, keyId).map(ProjectStore::keyView);
    }

    private static KeyView keyView(Record r) {
        return new KeyView(r.get("id", String.class), r.get("name", String.class),
                Arrays.asList(r.get("scopes", String.class).split(",")), instant(r, "created_at"),
                r.get("rate_limit", Integer.class));
    }

    public void deleteKey(org.jooq.DSLContext tx, String projectId, String keyId) {
        tx.execute("delete from api_keys where project_id = ? and id = ?", projectId, keyId);
        // Its rate-limit buckets (one per limit it had, see http.RateLimits) go with it.
        tx.execute("delete from rate_buckets where id like ?", keyId + ":%");
    }

    /** Sets the key's own rate limit (null: the project's default applies). */
    public void setKeyRateLimit(org.jooq.DSLContext tx, String projectId, String keyId, Integer rateLimit) {
        tx.execute("update api_keys set rate_limit = ? where project_id = ? and id = ?", rateLimit, projectId, keyId);
    }

    /** The project key whose hash is {@code keyHash}, with its project's settings. */
    public Optional<Principal> principal(String keyHash) {
        Record r = db.dsl().fetchOptional("select k.id, k.name as key_name, k.scopes, p.id as pid, p.name, p.timezone, p.max_discounts_per_order, "
                + "p.currency, p.locale, coalesce(k.rate_limit, p.rate_limit) as rate_limit "
                + "from api_keys k join projects p on p.id = k.project_id where k.key_hash = ?", keyHash).orElse(null);
        if (r == null) return Optional.empty();
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(r.get("scopes", String.class).split(",")).map(Scope::parse).filter(s -> s != null).forEach(scopes::add);
        return Optional.of(new Principal(r.get("id", String.class), r.get("key_name", String.class),
                new ProjectContext(r.get("pid", String.class), r.get("name", String.class),
                        ZoneId.of(r.get("timezone", String.class)), r.get("max_discounts_per_order", Integer.class),
                        r.get("currency", String.class), r.get("locale", String.class)),
                scopes, r.get("rate_limit", Integer.class)));
    }

    public Optional<Project> find(String projectId) {
        return find(db.dsl(), projectId);
    }

    public Optional<Project> find(org.jooq.DSLContext tx, String projectId) {
        return tx.fetchOptional("select * from projects where id = ?", projectId).map(ProjectStore::project);
    }

    public Optional<Project> findByName(String name) {
        return db.dsl().fetchOptional("select * from projects where name = ?", name).map(ProjectStore::project);
    }

    /** Changes the settings {@code c} names. */
    public void update(org.jooq.DSLContext tx, String projectId, SettingsChange c) {
        if (c.approvals() != null)
            tx.execute("update projects set approvals = ? where id = ?", c.approvals().stored(), projectId);
        if (c.rateLimit() != null || c.clearRateLimit())
            tx.execute("update projects set rate_limit = ? where id = ?", c.clearRateLimit() ? null : c.rateLimit(),
                    projectId);
        if (c.locale() != null || c.clearLocale())
            tx.execute("update projects set locale = ? where id = ?", c.clearLocale() ? null : c.locale(), projectId);
        if (c.timezone() != null)
            tx.execute("update projects set timezone = ? where id = ?", c.timezone().getId(), projectId);
        if (c.maxDiscountsPerOrder() != null)
            tx.execute("update projects set max_discounts_per_order = ? where id = ?", c.maxDiscountsPerOrder(),
                    projectId);
        tx.execute("update projects set config_version = config_version + 1 where id = ?", projectId);
    }

    /** Marks the project's campaigns/segments as changed so every server node reloads its cache. */
    public void bumpVersion(String projectId) {
        db.dsl().execute("update projects set config_version = config_version + 1 where id = ?", projectId);
    }

    public long version(String projectId) {
        return version(db.dsl(), projectId);
    }

    public long version(DSLContext tx, String projectId) {
        Long v = tx.fetchValue("select config_version from projects where id = ?", projectId) instanceof Number n
                ? n.longValue() : null;
        return v == null ? -1 : v;
    }

    /** The root key's hash: from TESSERA_ROOT_KEY, else the one generated on first start (returned to print once). */
    public RootKey rootKey(String configured) {
        if (configured != null) return new RootKey(Keys.hash(configured), null);
        String stored = db.dsl().fetchValue("select setting_value from settings where name = 'root_key_hash'") instanceof String s
                ? s : null;
        if (stored != null) return new RootKey(stored, null);
        String secret = Keys.newSecret("tsr_");
        try {
            db.dsl().execute("insert into settings (name, setting_value) values ('root_key_hash', ?)", Keys.hash(secret));
        } catch (RuntimeException e) {
            if (!Database.isUniqueViolation(e)) throw e;
            return rootKey(null); // another node generated it first
        }
        return new RootKey(Keys.hash(secret), secret);
    }

    /** Undoes the generation of a root key that was never shown (the start failed): the next start makes a new one. */
    public void forgetGeneratedRootKey(String hash) {
        db.dsl().execute("delete from settings where name = 'root_key_hash' and setting_value = ?", hash);
    }

    public record RootKey(String hash, String generatedSecret) {
    }

    static Project project(Record r) {
        return new Project(r.get("id", String.class), r.get("name", String.class), r.get("currency", String.class),
                ZoneId.of(r.get("timezone", String.class)), r.get("max_discounts_per_order", Integer.class),
                r.get("locale", String.class), instant(r, "created_at"),
                ApprovalPolicy.parse(r.get("approvals", String.class)), r.get("rate_limit", Integer.class));
    }
}
