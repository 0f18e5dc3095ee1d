package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.Main;
import io.tessera.testing.Backend;
import io.tessera.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateKeyCommandTest {

    @Test
    void createsAWorkingKeyForANamedProject() {
        try (TestServer server = TestServer.on(Backend.H2)) {
            String name = "cli-" + System.nanoTime();
            server.client(TestServer.ROOT_KEY).post("/v1/projects", Map.of("name", name));
            PrintStream out = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int code;
            try {
                System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
                code = Main.run("create-key", "--project", name, "--scopes", "read",
                        "--database-url", server.app().database().dataSource().getJdbcUrl());
            } finally {
                System.setOut(out);
            }
            assertThat(code).isZero();
            String key = printed.toString(StandardCharsets.UTF_8).trim();
            assertThat(key).startsWith("tsk_");
            var reader = server.client(key);
            assertThat(reader.get("/v1/campaigns").status()).isEqualTo(200);
            assertThat(reader.post("/v1/campaigns", Map.of()).status()).isEqualTo(403);
            assertThat(Main.run("create-key", "--project", "no-such-project",
                    "--database-url", server.app().database().dataSource().getJdbcUrl())).isEqualTo(1);
            assertThat(Main.run("create-key", "--project", name, "--scopes", "root",
                    "--database-url", server.app().database().dataSource().getJdbcUrl())).isEqualTo(2);
        }
    }
}
