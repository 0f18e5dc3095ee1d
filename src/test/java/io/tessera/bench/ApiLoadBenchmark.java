package io.tessera.bench;

import io.tessera.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small closed-loop load generator against a running server: N concurrent clients send validations, then
 * redemptions (distinct customers, one universal code with a limit), and it reports throughput, latency
 * percentiles and whether the limit held. Run with bench/load.sh.
 *
 * <p>Arguments: baseUrl rootKey [clients=32] [requests=20000] [limit=15000]
 */
public final class ApiLoadBenchmark {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static void main(String[] args) throws Exception {
        String base = args[0], root = args[1];
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int requests = args.length > 3 ? Integer.parseInt(args[3]) : 20_000;
        int limit = args.length > 4 ? Integer.parseInt(args[4]) : 15_000;

        var project = Json.parse(send(base, root, "POST", "/v1/projects",
                Map.of("name", "load-" + UUID.randomUUID().toString().substring(0, 8))).body());
        String key = project.get("apiKey").asText();
        send(base, key, "POST", "/v1/campaigns", Map.of("name", "hot", "type", "CODES",
                "codes", Map.of("mode", "UNIVERSAL", "code", "HOT"), "condition", "order.subtotal >= 1000",
                "discount", Map.of("type", "PERCENT", "percent", 10, "max", 5000),
                "limits", Map.of("redemptions", limit, "perCustomer", 1)));
        for (int i = 0; i < 20; i++) {
            send(base, key, "POST", "/v1/campaigns", Map.of("name", "auto" + i, "type", "AUTO",
                    "condition", "order.subtotal >= " + (100_000 + i), "discount", Map.of("type", "AMOUNT", "amount", 100)));
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(Map.of("sku", "SKU-" + i, "product", "p" + i, "categories", List.of("c" + (i % 3)),
                    "price", 1000 + i * 100, "quantity", 1 + i % 3));
        }
        Map<String, Object> order = Map.of("currency", "USD", "items", items, "shipping", 500);

        run("validations (10-line cart, 1 code, 20 automatic promotions)", clients, requests, i ->
                send(base, key, "POST", "/v1/validations", Map.of("customer", "v-" + i, "codes", List.of("HOT"), "order", order)));
        AtomicInteger created = new AtomicInteger();
        run("redemptions (distinct customers, one hot universal code, limit " + limit + ")", clients, requests, i -> {
            var r = send(base, key, "POST", "/v1/redemptions", Map.of("customer", "r-" + i, "codes", List.of("HOT"), "order", order));
            if (r.statusCode() == 201) created.incrementAndGet();
            return r;
        });
        var stats = Json.parse(send(base, key, "GET", "/v1/campaigns/hot/stats", null).body());
        System.out.printf("redemptions accepted: %d, stats.redemptions: %d, limit: %d -> %s%n", created.get(),
                stats.get("redemptions").asLong(), limit,
                created.get() == Math.min(limit, requests) && stats.get("redemptions").asLong() == created.get() ? "EXACT" : "WRONG");
    }

    interface Call {
        HttpResponse<String> call(int i) throws Exception;
    }

    static void run(String label, int clients, int requests, Call call) throws Exception {
        long[] latencies = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            fs.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    long t = System.nanoTime();
                    try {
                        int s = call.call(i).statusCode();
                        if (s >= 500) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t;
                }
                return null;
            }));
        }
        for (Future<?> f : fs) f.get();
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        System.out.printf("%s: %d requests, %d clients, %.1f s, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, errors %d%n",
                label, requests, clients, seconds, requests / seconds, latencies[requests / 2] / 1e6,
                latencies[(int) (requests * 0.99)] / 1e6, latencies[requests - 1] / 1e6, errors.get());
    }

    static HttpResponse<String> send(String base, String key, String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(Json.text(body)));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
