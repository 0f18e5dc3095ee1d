package io.tessera.cli;

import static org.awaitility.Awaitility.await;

import io.tessera.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code tessera serve} as a separate JVM (the test's classpath, {@link Main}), as an operator runs it: its own
 * environment, its output in files, stopped with a real SIGTERM ({@link Process#destroy()}).
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final Path out;
    private final Path err;
    final int port;

    private ServerProcess(Process process, Path out, Path err, int port) {
        this.process = process;
        this.out = out;
        this.err = err;
        this.port = port;
    }

    static ServerProcess start(Map<String, String> env, String... args) {
        try {
            Path dir = Files.createTempDirectory("tessera-process");
            Path out = dir.resolve("stdout.txt");
            Path err = dir.resolve("stderr.txt");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("TESSERA_"));
            pb.environment().putAll(env);
            int port = Integer.parseInt(env.getOrDefault("TESSERA_PORT", "0"));
            return new ServerProcess(pb.start(), out, err, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code GET /health} answers 200; fails if the process ends first. */
    void awaitUp(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            await("the server up").atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (!process.isAlive())
                            throw new AssertionError("server exited with " + process.exitValue() + ": " + stderr());
                        try {
                            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + "/health")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                        } catch (IOException notListeningYet) {
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("server not up after " + timeout + ": " + stderr(), e);
        }
    }

    /** SIGTERM, as a deploy or Ctrl-C sends. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL, as a crash or the OOM killer: no drain, no shutdown hook. */
    void kill() {
        process.destroyForcibly();
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                throw new AssertionError("still running after " + timeout);
            return process.exitValue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    String stdout() {
        return read(out);
    }

    String stderr() {
        return read(err);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }
}
