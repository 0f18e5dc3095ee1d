package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.Main;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code tessera create-key}, run in this JVM against the database of the class's server. */
class CreateKeyCommandTest extends ServerPerDatabase {
    private String project;

    @BeforeEach
    void projectName() {
        project = api().get("/v1/project").json().at("/name").asText();
    }

    /** What the command returned and printed on standard output. */
    private record Run(int exitCode, String printed) {
    }

    private static Run createKey(String... args) {
        List<String> all = new ArrayList<>(List.of("create-key"));
        all.addAll(List.of(args));
        all.addAll(List.of("--database-url", databaseUrl()));
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int code = Main.run(all.toArray(String[]::new));
            return new Run(code, printed.toString(StandardCharsets.UTF_8).trim());
        } finally {
            System.setOut(out);
        }
    }

    /** The server's database as one URL: the command takes the user and password from the environment or the URL. */
    private static String databaseUrl() {
        TestDatabases.Target db = server.database();
        if (db.kind().equals(TestDatabases.H2)) return db.url();
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "user=" + encode(db.user());
        return db.password() == null ? url : url + "&password=" + encode(db.password());
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void createKeyPrintsAKeyOfTheNamedProject() {
        Run run = createKey("--project", project, "--scopes", "read");

        assertThat(run.exitCode()).isZero();
        assertThat(run.printed()).startsWith("tsk_");
        var read = server.client(run.printed()).get("/v1/project");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().at("/name").asText()).isEqualTo(project);
    }

    @Test
    void aKeyCreatedWithTheReadScopeCanReadButNotWrite() {
        var reader = server.client(createKey("--project", project, "--scopes", "read").printed());

        assertThat(reader.get("/v1/campaigns").status()).isEqualTo(200);
        assertThat(reader.post("/v1/campaigns", Map.of()).status()).isEqualTo(403);
    }

    @Test
    void createKeyForAnUnknownProjectExitsWithOne() {
        assertThat(createKey("--project", "no-such-project-" + System.nanoTime()).exitCode()).isEqualTo(1);
    }

    @Test
    void createKeyRefusesTheRootScopeWithExitTwo() {
        assertThat(createKey("--project", project, "--scopes", "root").exitCode()).isEqualTo(2);
    }
}
