package io.tessera.bench;

import static org.awaitility.Awaitility.await;

import io.tessera.Application;
import io.tessera.config.Config;
import io.tessera.core.Json;
import io.tessera.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Bulk code generation on PostgreSQL, in one run: (a) a generation job of 1,000,000 codes through the HTTP API, from
 * the POST until the job reads DONE; (b) the floor — a plain COPY of 1,000,000 random 12-character strings into a
 * bare table (no key, no index). Run with {@code bench/codes.sh}; figures go to docs/performance.md.
 *
 * <p>Arguments: JDBC URL (default jdbc:postgresql://127.0.0.1:5432/tessera_bench), number of codes (default 1000000).
 */
public final class CodeGenerationBenchmark {
    private static final String ROOT = "tsr_bench_root";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "jdbc:postgresql://127.0.0.1:5432/tessera_bench";
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Config config = Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY", ROOT, "TESSERA_PORT", "0"))
                .with(new TestDatabases.Target("postgres", url,
                        System.getenv().getOrDefault("TESSERA_DATABASE_USER", "postgres"),
                        System.getenv("TESSERA_DATABASE_PASSWORD")).settings());
        System.out.printf("bulk code generation benchmark: %,d codes, %s, %d cores, java %s%n", count, url,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        double jobSeconds;
        try (Application app = Application.start(config, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + app.port();
            String key = Json.parse(call(base, "POST", "/v1/projects", ROOT,
                    Map.of("name", "bench-" + UUID.randomUUID(), "currency", "USD"))).get("apiKey").asText();
            for (String name : new String[]{"warmup", "bench"}) {
                call(base, "POST", "/v1/campaigns", key, Map.of("name", name, "type", "CODES", "codes",
                        Map.of("mode", "UNIQUE", "pattern", "BF-####-####", "count", 0),
                        "discount", Map.of("type", "AMOUNT", "amount", 100)));
            }
            double warm = generate(base, key, "warmup", 100_000);
            System.out.printf("warm-up: 100,000 codes in %.2f s%n", warm);
            jobSeconds = generate(base, key, "bench", count);
            System.out.printf("(a) generation job: %,d codes in %.2f s (%,.0f codes/s)%n", count, jobSeconds,
                    count / jobSeconds);
        }
        double copySeconds = plainCopy(url, config, count);
        System.out.printf("(b) plain COPY of %,d random 12-char strings into a bare table: %.2f s%n", count, copySeconds);
        System.out.printf("ratio (a)/(b): %.2f%n", jobSeconds / copySeconds);
    }

    /** Seconds from the POST until GET /v1/jobs/{id} reads DONE (polled every 10 ms). */
    private static double generate(String base, String key, String campaign, int count) throws Exception {
        long start = System.nanoTime();
        String job = Json.parse(call(base, "POST", "/v1/campaigns/" + campaign + "/codes", key, Map.of("count", count)))
                .get("job").asText();
        await("job " + job).atMost(Duration.ofHours(1)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    var j = Json.parse(call(base, "GET", "/v1/jobs/" + job, key, null));
                    String status = j.get("status").asText();
                    if (!status.equals("DONE") && !status.equals("RUNNING"))
                        throw new IllegalStateException("job failed: " + j);
                    return status.equals("DONE");
                });
        return (System.nanoTime() - start) / 1e9;
    }

    private static double plainCopy(String url, Config config, int count) throws Exception {
        SecureRandom random = new SecureRandom();
        char[] alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
        byte[] text = new byte[count * 13];
        byte[] noise = new byte[count * 12];
        random.nextBytes(noise);
        for (int i = 0, p = 0; i < count; i++) {
            for (int j = 0; j < 12; j++) text[p++] = (byte) alphabet[noise[i * 12 + j] & 31];
            text[p++] = '\n';
        }
        try (Connection c = DriverManager.getConnection(url, config.databaseUser(), config.databasePassword())) {
            try (Statement st = c.createStatement()) {
                st.execute("drop table if exists bench_plain_copy");
                st.execute("create table bench_plain_copy (code varchar(64) not null)");
            }
            c.setAutoCommit(false);
            long start = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy bench_plain_copy (code) from stdin", new java.io.ByteArrayInputStream(text));
            c.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            c.setAutoCommit(true);
            try (Statement st = c.createStatement()) {
                st.execute("drop table bench_plain_copy");
            }
            return seconds;
        }
    }

    private static String call(String base, String method, String path, String key, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.text(body)));
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " "
                + r.body() + " at " + Instant.now());
        return r.body();
    }
}
