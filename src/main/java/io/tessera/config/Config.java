package io.tessera.config;

import java.util.Map;

/**
 * Server configuration from {@code TESSERA_*} environment variables; every setting has a default that runs out of
 * the box (H2 under ./data, port 8080).
 */
public record Config(int port, String databaseUrl, String databaseUser, String databasePassword, String rootKey,
                     boolean testClock, boolean webhookAllowPrivate, long maxBodyBytes, int databasePoolSize,
                     long cacheRefreshMillis, int guessLimit, int guessKeyLimit, int guessWindowSeconds) {

    public static final String DEFAULT_H2_URL =
            "jdbc:h2:file:./data/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";

    public static Config fromEnvironment(Map<String, String> env) {
        String url = blankToNull(env.get("TESSERA_DATABASE_URL"));
        if (url == null) url = DEFAULT_H2_URL;
        boolean h2 = url.startsWith("jdbc:h2:");
        return new Config(
                intValue(env, "TESSERA_PORT", 8080),
                url,
                env.getOrDefault("TESSERA_DATABASE_USER", h2 ? "sa" : null),
                env.getOrDefault("TESSERA_DATABASE_PASSWORD", h2 ? "" : null),
                blankToNull(env.get("TESSERA_ROOT_KEY")),
                Boolean.parseBoolean(env.getOrDefault("TESSERA_TEST_CLOCK", "false")),
                Boolean.parseBoolean(env.getOrDefault("TESSERA_WEBHOOK_ALLOW_PRIVATE", "false")),
                intValue(env, "TESSERA_MAX_BODY_BYTES", 1_048_576),
                intValue(env, "TESSERA_DATABASE_POOL_SIZE", 16),
                intValue(env, "TESSERA_CACHE_REFRESH_MILLIS", 1000),
                intValue(env, "TESSERA_GUESS_LIMIT", 20),
                intValue(env, "TESSERA_GUESS_KEY_LIMIT", 200),
                intValue(env, "TESSERA_GUESS_WINDOW_SECONDS", 60));
    }

    public Config withPort(int newPort) {
        return new Config(newPort, databaseUrl, databaseUser, databasePassword, rootKey, testClock,
                webhookAllowPrivate, maxBodyBytes, databasePoolSize, cacheRefreshMillis, guessLimit, guessKeyLimit,
                guessWindowSeconds);
    }

    public Config withDatabase(String url, String user, String password) {
        return new Config(port, url, user, password, rootKey, testClock, webhookAllowPrivate, maxBodyBytes,
                databasePoolSize, cacheRefreshMillis, guessLimit, guessKeyLimit, guessWindowSeconds);
    }

    /**
     * Code-guessing protection: checks of unknown codes allowed per client ({@code limit}) and per API key
     * ({@code keyLimit}) within {@code windowSeconds}; a limit of 0 turns that count off.
     */
    public Config withGuessLimits(int limit, int keyLimit, int windowSeconds) {
        return new Config(port, databaseUrl, databaseUser, databasePassword, rootKey, testClock, webhookAllowPrivate,
                maxBodyBytes, databasePoolSize, cacheRefreshMillis, limit, keyLimit, windowSeconds);
    }

    private static int intValue(Map<String, String> env, String name, int fallback) {
        String v = env.get(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
