package io.tessera.http;

import java.time.ZoneId;
import java.util.Set;

/** Who is calling: the root key (projectId null) or a project key with its scopes. */
public record Principal(String keyId, String projectId, String projectName, ZoneId zone, int maxDiscountsPerOrder,
                        Set<Scope> scopes) {
    public static final Principal ROOT = new Principal("root", null, null, ZoneId.of("UTC"), 0, Set.of());

    public boolean root() {
        return projectId == null;
    }

    /** True when the key holds {@code scope} or admin. */
    public boolean may(Scope scope) {
        return scopes.contains(Scope.ADMIN) || scopes.contains(scope);
    }
}
