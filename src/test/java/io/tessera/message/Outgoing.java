package io.tessera.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.ProjectContext;
import io.tessera.testing.Fixtures;
import io.tessera.testing.Response;
import io.tessera.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;

/** Queues messages through the server's service, as an automation would, and reads what became of them. */
final class Outgoing {
    private final TestServer server;
    private final TestServer.Client api;
    final ProjectContext project;

    Outgoing(TestServer server, TestServer.Client api) {
        this.server = server;
        this.api = api;
        JsonNode p = api.get("/v1/project").json();
        this.project = new ProjectContext(p.get("id").asText(), p.get("name").asText(), ZoneOffset.UTC, 1, null, null);
    }

    void customer(String id, Map<String, Object> attributes, Map<String, Object> consents) {
        Response r = api.put("/v1/customers/" + id, Map.of("attributes", attributes, "consents", consents));
        assertThat(r.status()).as(r.toString()).isIn(200, 201);
    }

    /** Queues in a transaction of its own, as of {@code now}, and wakes the scheduler after the commit. */
    Message queue(String customer, Draft draft, Instant now) {
        Message m = server.app().database().transaction(tx -> server.app().messages().queue(tx, project, customer,
                draft, Map.of(), now));
        server.app().scheduler().wake();
        return m;
    }

    String status(String id) {
        return column("status", id);
    }

    String column(String column, String id) {
        return Fixtures.strings(server, "select " + column + " from messages where id = ?", id).getFirst();
    }

    /** The message's send slot, or null before its first attempt. */
    Instant slot(String id) {
        try (var c = server.connect();
             var ps = c.prepareStatement("select slot_at from messages where id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                var at = rs.getObject(1, java.time.OffsetDateTime.class);
                return at == null ? null : at.toInstant();
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The payloads of the project's message.rendered events. */
    List<JsonNode> renderedEvents() {
        return Fixtures.strings(server, "select payload from events where project_id = ? and type = ? order by id",
                project.id(), MessageService.RENDERED).stream().map(io.tessera.core.Json::parse).toList();
    }

    /** Runs the project's tasks due up to {@code to} (test clock). */
    void advance(Instant to) {
        Response r = api.post("/v1/test-clock/advance", Map.of("to", to.toString()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
    }

    /** Waits (the scheduler works in the background) until {@code condition} holds, for at most 20 seconds. */
    static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(condition);
    }
}
