package io.tessera.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A project's configuration resources known by name (automations, webhooks): created from a JSON definition, listed,
 * read, patched and deleted, each write audited by the service. {@code http.Api#namedResources} gives them their
 * five routes with the usual scopes (admin writes, read scope reads).
 */
public interface NamedResources {
    Object create(ProjectContext p, Actor actor, JsonNode body, Instant now);

    Page<?> list(ProjectContext p, Page.Request page);

    Object get(ProjectContext p, String name);

    Object patch(ProjectContext p, Actor actor, String name, JsonNode body, Instant now);

    void delete(ProjectContext p, Actor actor, String name, Instant now);
}
