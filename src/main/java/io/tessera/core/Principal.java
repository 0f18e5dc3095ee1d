package io.tessera.core;

import java.util.Set;

/**
 * Who is calling: the root key (no project) or a project key with its scopes and its rate limit in requests per second
 * (the key's own, else its project's default; null: unlimited).
 */
public record Principal(String keyId, String keyName, ProjectContext project, Set<Scope> scopes, Integer rateLimit) {
    public static final Principal ROOT = new Principal("root", "root", null, Set.of(), null);

    public boolean root() {
        return project == null;
    }

    public String projectId() {
        return project.id();
    }

    public java.time.ZoneId zone() {
        return project.zone();
    }

    public int maxDiscountsPerOrder() {
        return project.maxDiscountsPerOrder();
    }

    /** The caller as the audit log names it. */
    public Actor actor() {
        return new Actor.Key(keyId, keyName);
    }

    /** True when the key holds {@code scope} or admin. */
    public boolean may(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}
