package io.tessera.project;

import io.tessera.core.Scope;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** An API key as listings and the audit log show it: never its secret. */
public record KeyView(String id, String name, List<String> scopes, Instant createdAt) {
    static KeyView of(String id, String name, Collection<Scope> scopes, Instant createdAt) {
        return new KeyView(id, name, scopes.stream().map(Scope::value).sorted().toList(), createdAt);
    }
}
