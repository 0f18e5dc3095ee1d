package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.Main;
import io.tessera.config.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line as an operator meets it: help, and starts that cannot work. */
class ServeCommandTest {

    private static String h2File() throws IOException {
        return "jdbc:h2:file:" + Files.createTempDirectory("tessera-cli").resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    private static String help(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            assertThat(Main.run(args)).isZero();
        } finally {
            System.setOut(out);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpOfTheToolAndOfServeListsEveryEnvironmentVariableWithItsDefault() {
        for (String[] args : new String[][] {{"--help"}, {"serve", "--help"}}) {
            String text = help(args);
            assertThat(text).as(String.join(" ", args)).contains("Environment variables")
                    .contains("TESSERA_PORT (default: 8080)").contains("TESSERA_SHUTDOWN_SECONDS");
            assertThat(Arrays.stream(Config.Setting.values()).map(Config.Setting::variable)).allMatch(text::contains);
        }
    }

    @Test
    void aSecondServerOnAnH2DatabaseInUseExitsWithOneLineAndNoStackTrace() throws IOException {
        String url = h2File();
        Map<String, String> env = Map.of("TESSERA_DATABASE_URL", url, "TESSERA_ROOT_KEY", "rk");
        try (ServerProcess first = ServerProcess.start(withPort(env, ServerProcess.freePort()), "serve")) {
            first.awaitUp(Duration.ofSeconds(90));
            try (ServerProcess second = ServerProcess.start(withPort(env, ServerProcess.freePort()), "serve")) {
                assertThat(second.awaitExit(Duration.ofSeconds(60))).isNotZero();
                assertThat(second.stderr().lines().filter(l -> !l.isBlank()).toList()).singleElement().asString()
                        .startsWith("tessera: cannot start: the H2 database").contains("is in use by another process");
            }
        }
    }

    @Test
    void anUnreadableSecretFileOrASecretGivenTwiceIsOneLineAndExitOne() throws IOException {
        String missing = Files.createTempDirectory("tessera-cli").resolve("no-such-key").toString();
        try (ServerProcess p = ServerProcess.start(Map.of("TESSERA_ROOT_KEY_FILE", missing), "serve")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.stderr().lines().filter(l -> !l.isBlank()).toList()).containsExactly(
                    "tessera: cannot start: TESSERA_ROOT_KEY_FILE: cannot read " + missing + " (NoSuchFileException)");
        }
        try (ServerProcess p = ServerProcess.start(Map.of("TESSERA_DATABASE_PASSWORD", "a",
                "TESSERA_DATABASE_PASSWORD_FILE", missing), "migrate")) {
            assertThat(p.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(p.stderr().lines().filter(l -> !l.isBlank()).toList()).containsExactly("tessera: cannot start: "
                    + "set TESSERA_DATABASE_PASSWORD or TESSERA_DATABASE_PASSWORD_FILE, not both");
        }
    }

    @Test
    void aStartThatFailsOnABusyPortDoesNotUseUpTheGeneratedRootKey() throws IOException {
        Map<String, String> env = Map.of("TESSERA_DATABASE_URL", h2File());
        try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"));
             ServerProcess failed = ServerProcess.start(withPort(env, busy.getLocalPort()), "serve")) {
            assertThat(failed.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(failed.stderr()).contains("tessera: cannot start: port " + busy.getLocalPort() + " is already in use")
                    .doesNotContain("\tat ");
            assertThat(failed.stdout()).doesNotContain("root key");
        }
        try (ServerProcess next = ServerProcess.start(withPort(env, ServerProcess.freePort()), "serve")) {
            next.awaitUp(Duration.ofSeconds(90));
            assertThat(next.stdout()).contains("Generated root key (shown once, store it safely): tsr_");
        }
    }

    private static Map<String, String> withPort(Map<String, String> env, int port) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.put("TESSERA_PORT", Integer.toString(port));
        return all;
    }
}
