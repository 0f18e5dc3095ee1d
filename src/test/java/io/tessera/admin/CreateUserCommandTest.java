package io.tessera.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.Main;
import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code tessera create-user}, run as an operator runs it: a separate JVM with its own environment. */
class CreateUserCommandTest extends ServerPerDatabase {

    private record Run(int exitCode, String output) {
    }

    private static Run createUser(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "create-user"));
        command.addAll(List.of(args));
        command.addAll(List.of("--database-url", databaseUrl()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE);
        pb.environment().keySet().removeIf(k -> k.startsWith("TESSERA_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("create-user did not end");
        return new Run(p.exitValue(), output);
    }

    private static String databaseUrl() {
        TestDatabases.Target db = server.database();
        if (db.kind().equals(TestDatabases.H2)) return db.url();
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "user="
                + URLEncoder.encode(db.user(), StandardCharsets.UTF_8);
        return db.password() == null ? url
                : url + "&password=" + URLEncoder.encode(db.password(), StandardCharsets.UTF_8);
    }

    @Test
    void theFirstOwnerCreatedOnTheCommandLineCanSignIn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(database.equals(TestDatabases.POSTGRES),
                "a separate JVM cannot reach the test's in-memory H2 database");
        String email = "first-" + UUID.randomUUID() + "@example.com";
        Run run = createUser(Map.of("TESSERA_USER_PASSWORD", AdminSession.PASSWORD), "--email", email, "--role", "owner");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(new AdminSession(server).signIn(email, AdminSession.PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void withoutAPasswordOrATerminalTheCommandSaysWhatToSet() throws Exception {
        Run run = createUser(Map.of(), "--email", "nobody-" + UUID.randomUUID() + "@example.com", "--role", "owner");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("TESSERA_USER_PASSWORD");
    }

    @Test
    void anUnknownRoleIsRefused() throws Exception {
        Run run = createUser(Map.of("TESSERA_USER_PASSWORD", AdminSession.PASSWORD), "--email", "x@example.com",
                "--role", "admin");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("owner, marketer, support or viewer");
    }
}
