package io.tessera.project;

import io.tessera.core.Scope;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** An API key as listings and the audit log show it: never its secret. {@code rateLimit}: its own, null if none. */
public record KeyView(String id, String name, List<String> scopes, Instant createdAt, Integer rateLimit) {
    static KeyView of(String id, String name, Collection<Scope> scopes, Instant createdAt, Integer rateLimit) {
        return new KeyView(id, name, scopes.stream().map(Scope::value).sorted().toList(), createdAt, rateLimit);
    }
}
