package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml and the server agree on the operations: every route the server registers is in the reference and every
 * operation of the reference is served. Left out by rule: the admin UI (/admin..., HTML for browsers) and the assets
 * of the rendered reference (/docs...). Routes do not depend on the database: one server, on H2.
 */
class OpenApiRoutesTest {

    @Test
    void everyRouteIsInTheReferenceAndEveryOperationOfTheReferenceIsARoute() throws IOException {
        Set<String> served = new TreeSet<>();
        try (TestServer server = TestServer.start(TestDatabases.H2)) {
            for (String route : server.app().routes()) {
                String path = route.substring(route.indexOf(' ') + 1);
                if (path.equals("/admin") || path.startsWith("/admin/") || path.equals("/docs")
                        || path.startsWith("/docs/")) continue;
                served.add(route);
            }
        }
        Set<String> documented = new TreeSet<>();
        String yaml;
        try (InputStream in = OpenApiRoutesTest.class.getResourceAsStream("/openapi.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        new OpenAPIV3Parser().readContents(yaml).getOpenAPI().getPaths().forEach((path, item) ->
                item.readOperationsMap().keySet().forEach(method -> documented.add(method.name() + " " + path)));

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);
        assertThat(undocumented).as("routes missing from openapi.yaml").isEmpty();
        assertThat(unserved).as("operations of openapi.yaml no route serves").isEmpty();
    }
}
