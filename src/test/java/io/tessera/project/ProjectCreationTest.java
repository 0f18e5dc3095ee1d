package io.tessera.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Projects are created with the root key; their input is checked and their names are unique. */
class ProjectCreationTest extends ServerPerDatabase {

    private Response create(Map<String, Object> body) {
        return server.client(TestServer.ROOT_KEY).post("/v1/projects", body);
    }

    @Test
    void everyBadFieldOfANewProjectIsReported() {
        Response r = create(Map.of("name", "bad name!", "currency", "XYZ", "timezone", "Mars/Base"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("errors").findValuesAsText("field")).containsExactly("name", "currency", "timezone");
    }

    @Test
    void aProjectNameIsTakenOnce() {
        String name = "dup-" + System.nanoTime();
        assertThat(create(Map.of("name", name)).status()).isEqualTo(201);
        assertThat(create(Map.of("name", name)).status()).isEqualTo(409);
    }
}
