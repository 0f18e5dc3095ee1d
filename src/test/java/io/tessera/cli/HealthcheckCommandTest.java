package io.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.Main;
import io.tessera.testing.ServerPerDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code tessera healthcheck}: the container's health check, run in this JVM against the class's server. */
class HealthcheckCommandTest extends ServerPerDatabase {

    private record Run(int exitCode, String printed) {
    }

    private static Run healthcheck(String url) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            int code = Main.run("healthcheck", "--url", url);
            return new Run(code, printed.toString(StandardCharsets.UTF_8).trim());
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void aServerThatIsUpPasses() {
        Run run = healthcheck(server.url() + "/health");
        assertThat(run.exitCode()).isZero();
        assertThat(run.printed()).startsWith("200 ").contains("\"status\":\"UP\"");
    }

    @Test
    void noServerFails() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Run run = healthcheck("http://127.0.0.1:" + port + "/health");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.printed()).startsWith("DOWN http://127.0.0.1:" + port);
    }

    @Test
    void anAnswerOtherThan200Fails() {
        Run run = healthcheck(server.url() + "/no-such-page");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.printed()).startsWith("404 ");
    }
}
