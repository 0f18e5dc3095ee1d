package io.tessera.config;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Server configuration from {@code TESSERA_*} environment variables; every setting has a default that runs out of
 * the box (H2 under ./data, port 8080). {@link Setting} declares them all, once: their names, defaults and meaning
 * (printed by {@code --help}). {@code variables} are the {@code TESSERA_*} variables it was read from, which
 * {@link #with} changes to make a copy.
 */
public record Config(int port, String databaseUrl, String databaseUser, String databasePassword, String rootKey,
                     boolean testClock, boolean webhookAllowPrivate, long maxBodyBytes, int databasePoolSize,
                     long cacheRefreshMillis, int guessLimit, int guessKeyLimit, int guessWindowSeconds,
                     long schedulerPollMillis, int schedulerWorkers, int shutdownSeconds, Messages messages,
                     HttpLimits httpLimits, int groupCommit, Map<String, String> variables) {

    /** The settings as given, secrets (and the SMTP URL, which may carry a password) masked: safe to log. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("Config[");
        new java.util.TreeMap<>(variables).forEach((name, value) -> {
            boolean secret = name.equals(Setting.SMTP_URL.variable) || java.util.Arrays.stream(Setting.values())
                    .anyMatch(st -> st.fromFile && st.variable.equals(name));
            out.append(out.length() > 7 ? ", " : "").append(name).append('=').append(secret ? "****" : value);
        });
        return out.append(']').toString();
    }

    /**
     * What one connection may cost the server: request headers (with the request line) of at most
     * {@code maxHeaderBytes} (else 431, or 414 for the URI), no more than {@code headerTimeoutMillis} to send them
     * (a client that trickles them, slowloris-like, is cut), and {@code idleTimeoutMillis} of silence at most.
     */
    public record HttpLimits(int maxHeaderBytes, long headerTimeoutMillis, long idleTimeoutMillis) {
    }

    /**
     * How messages leave: by SMTP to {@code smtpUrl} ({@code smtp://user:password@host:port} with STARTTLS when the
     * server offers it, or {@code smtps://...} for TLS from the start; null: as {@code message.rendered} events for an
     * ESP) from {@code from}, at most {@code perSecond} per project and channel.
     */
    public record Messages(String smtpUrl, String from, int perSecond) {
        public Messages {
            if (perSecond < 1) throw new Invalid(Setting.MESSAGES_PER_SECOND.variable
                    + " must be at least 1, got " + perSecond);
            if (smtpUrl != null && (from == null || from.isBlank())) throw new Invalid(
                    Setting.SMTP_FROM.variable + " is required with " + Setting.SMTP_URL.variable);
        }
    }

    public static final String DEFAULT_H2_URL =
            "jdbc:h2:file:./data/tessera;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";

    /** Every setting: its variable, its default as shown to users, and what it does. */
    public enum Setting {
        PORT("TESSERA_PORT", "8080", "HTTP port (also serve --port)"),
        DATABASE_URL("TESSERA_DATABASE_URL", "H2 file database under ./data",
                "JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/tessera"),
        DATABASE_USER("TESSERA_DATABASE_USER", "sa for H2", "database user"),
        DATABASE_PASSWORD("TESSERA_DATABASE_PASSWORD", "empty for H2", "database password", true),
        DATABASE_POOL_SIZE("TESSERA_DATABASE_POOL_SIZE", "16", "connections per node"),
        GROUP_COMMIT("TESSERA_GROUP_COMMIT", "8", "at most this many redemptions of a project ready at once are "
                + "committed in one transaction (PostgreSQL; 1 commits each alone; docs/limits.md, \"Group commit\")"),
        ROOT_KEY("TESSERA_ROOT_KEY", "generated and printed once", "the key that manages projects", true),
        TEST_CLOCK("TESSERA_TEST_CLOCK", "false",
                "honour the X-Test-Now request header and enable POST /v1/test-clock/advance (tests, demos; never production)"),
        WEBHOOK_ALLOW_PRIVATE("TESSERA_WEBHOOK_ALLOW_PRIVATE", "false",
                "allow webhook URLs that resolve to loopback, link-local or private addresses (off: refused at save "
                        + "and at every delivery, see docs/webhooks.md)"),
        MAX_BODY_BYTES("TESSERA_MAX_BODY_BYTES", "1048576", "larger request bodies get 413"),
        CACHE_REFRESH_MILLIS("TESSERA_CACHE_REFRESH_MILLIS", "1000",
                "how often a node checks whether another node changed campaigns or segments"),
        GUESS_LIMIT("TESSERA_GUESS_LIMIT", "20",
                "unknown codes a client may check within the window before its requests naming codes get 429 (0 "
                        + "turns the per-client count off); the client is the customer for redeem/admin keys, the "
                        + "address for validate keys"),
        GUESS_KEY_LIMIT("TESSERA_GUESS_KEY_LIMIT", "200", "the same per API key, across its clients (0 turns it off)"),
        GUESS_WINDOW_SECONDS("TESSERA_GUESS_WINDOW_SECONDS", "60",
                "the sliding window of code-guessing protection (counted in the database, across nodes)"),
        SCHEDULER_POLL_MILLIS("TESSERA_SCHEDULER_POLL_MILLIS", "500",
                "how often a node looks for due scheduled tasks (work it schedules itself starts at once)"),
        SCHEDULER_WORKERS("TESSERA_SCHEDULER_WORKERS", "4", "scheduled tasks a node runs at once"),
        SHUTDOWN_SECONDS("TESSERA_SHUTDOWN_SECONDS", "20",
                "on SIGTERM, how long requests in flight and running tasks get to finish"),
        SMTP_URL("TESSERA_SMTP_URL", "none: messages go out as message.rendered webhook events",
                "send email messages by SMTP: smtp://user:password@host:587 (STARTTLS when offered) or "
                        + "smtps://user:password@host:465 (TLS); percent-encode special characters of user and password",
                true),
        SMTP_FROM("TESSERA_SMTP_FROM", "none (required with TESSERA_SMTP_URL)",
                "the From of email messages, e.g. Shop <news@shop.example>"),
        MESSAGES_PER_SECOND("TESSERA_MESSAGES_PER_SECOND", "10",
                "messages sent per second per project and channel, across all nodes (more wait their turn)"),
        LOG_FORMAT("TESSERA_LOG_FORMAT", "text",
                "text: one readable line per event; json: one JSON object per line (timestamp, level, logger, "
                        + "thread, message, requestId, exception), see docs/logging.md"),
        ACCESS_LOG("TESSERA_ACCESS_LOG", "true",
                "one log line per HTTP request (logger io.tessera.access): method, path without query, status, "
                        + "duration, bytes, request id, project and key"),
        MAX_HEADER_BYTES("TESSERA_MAX_HEADER_BYTES", "8192",
                "larger request headers get 431, a longer request line 414"),
        HEADER_TIMEOUT_SECONDS("TESSERA_HEADER_TIMEOUT_SECONDS", "10",
                "a client still sending its request headers after this long is disconnected (slow clients)"),
        IDLE_TIMEOUT_SECONDS("TESSERA_IDLE_TIMEOUT_SECONDS", "30",
                "a connection silent this long is closed (also a body that stops arriving)");

        private final String variable;
        private final String shownDefault;
        private final String meaning;
        /** A secret: may instead come from the file named by {@code <variable>_FILE} (mounted secrets). */
        private final boolean fromFile;

        Setting(String variable, String shownDefault, String meaning) {
            this(variable, shownDefault, meaning, false);
        }

        Setting(String variable, String shownDefault, String meaning, boolean fromFile) {
            this.variable = variable;
            this.shownDefault = shownDefault;
            this.meaning = meaning;
            this.fromFile = fromFile;
        }

        public String variable() {
            return variable;
        }

        public String shownDefault() {
            return shownDefault;
        }

        /** What it does, as --help and the README's configuration table say it. */
        public String meaning() {
            return fromFile ? meaning + "; or " + fileVariable() + ": a file that holds it" : meaning;
        }

        /** The variable naming a file that holds the value, or null when the value cannot come from a file. */
        public String fileVariable() {
            return fromFile ? variable + "_FILE" : null;
        }

        /** The value, trimmed (null when unset or blank); a secret may come from its _FILE instead. */
        String raw(Map<String, String> env) {
            String v = env.get(variable);
            String given = v == null || v.isBlank() ? null : v.trim();
            String file = fromFile ? env.get(fileVariable()) : null;
            if (file == null || file.isBlank()) return given;
            if (v != null) throw new Invalid("set " + variable + " or " + fileVariable() + ", not both");
            return fromFile(file.trim());
        }

        /** The file's content less one trailing line break (what {@code echo secret > file} adds). */
        private String fromFile(String path) {
            String content;
            try {
                content = java.nio.file.Files.readString(java.nio.file.Path.of(path));
            } catch (java.io.IOException | java.nio.file.InvalidPathException | SecurityException e) {
                throw new Invalid(fileVariable() + ": cannot read " + path + " (" + e.getClass().getSimpleName()
                        + (e instanceof java.nio.file.AccessDeniedException ? ": permission denied" : "") + ")");
            }
            if (content.endsWith("\n")) content = content.substring(0, content.length() - 1);
            if (content.endsWith("\r")) content = content.substring(0, content.length() - 1);
            return content;
        }

        int intValue(Map<String, String> env, int fallback) {
            String v = raw(env);
            if (v == null) return fallback;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new Invalid(variable + " must be an integer, got '" + v + "'");
            }
        }

        boolean boolValue(Map<String, String> env) {
            return Boolean.parseBoolean(raw(env));
        }
    }

    /** A setting that cannot be used: its message is one line naming the variable(s), for a start refusal. */
    public static final class Invalid extends IllegalArgumentException {
        public Invalid(String message) {
            super(message);
        }
    }

    /** The settings as plain text, for {@code --help}: each variable with its default, then what it does. */
    public static String help() {
        StringBuilder out = new StringBuilder("Environment variables:\n");
        for (Setting s : Setting.values())
            out.append("  ").append(s.variable).append(" (default: ").append(s.shownDefault).append(")\n      ")
                    .append(s.meaning()).append('\n');
        return out.toString();
    }

    /** How log lines are written: {@code text} (the default) or {@code json}. */
    public static String logFormat(Map<String, String> env) {
        String v = Setting.LOG_FORMAT.raw(env);
        if (v == null) return "text";
        String format = v.toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("text") && !format.equals("json"))
            throw new Invalid(Setting.LOG_FORMAT.variable + " must be text or json, got '" + v + "'");
        return format;
    }

    /** Whether each HTTP request is logged (on unless set to false). */
    public static boolean accessLog(Map<String, String> env) {
        String v = Setting.ACCESS_LOG.raw(env);
        return v == null || !v.equalsIgnoreCase("false");
    }

    public static Config fromEnvironment(Map<String, String> env) {
        logFormat(env); // the logging reads it at its start; an unusable value stops the start here, in one line
        String url = Setting.DATABASE_URL.raw(env);
        if (url == null) url = DEFAULT_H2_URL;
        boolean h2 = url.startsWith("jdbc:h2:");
        // H2 closes a file database from its own JVM shutdown hook, under requests still being answered; the server
        // closes it itself, after draining.
        if (h2 && !url.toUpperCase(java.util.Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) url += ";DB_CLOSE_ON_EXIT=FALSE";
        int guessLimit = Setting.GUESS_LIMIT.intValue(env, 20);
        return new Config(
                Setting.PORT.intValue(env, 8080),
                url,
                env.getOrDefault(Setting.DATABASE_USER.variable, h2 ? "sa" : null),
                password(env, h2),
                Setting.ROOT_KEY.raw(env),
                Setting.TEST_CLOCK.boolValue(env),
                Setting.WEBHOOK_ALLOW_PRIVATE.boolValue(env),
                Setting.MAX_BODY_BYTES.intValue(env, 1_048_576),
                Setting.DATABASE_POOL_SIZE.intValue(env, 16),
                Setting.CACHE_REFRESH_MILLIS.intValue(env, 1000),
                guessLimit,
                Setting.GUESS_KEY_LIMIT.intValue(env, 200),
                Setting.GUESS_WINDOW_SECONDS.intValue(env, 60),
                Setting.SCHEDULER_POLL_MILLIS.intValue(env, 500),
                Setting.SCHEDULER_WORKERS.intValue(env, 4),
                Setting.SHUTDOWN_SECONDS.intValue(env, 20),
                new Messages(Setting.SMTP_URL.raw(env), Setting.SMTP_FROM.raw(env),
                        Setting.MESSAGES_PER_SECOND.intValue(env, 10)),
                new HttpLimits(Setting.MAX_HEADER_BYTES.intValue(env, 8192),
                        Setting.HEADER_TIMEOUT_SECONDS.intValue(env, 10) * 1000L,
                        Setting.IDLE_TIMEOUT_SECONDS.intValue(env, 30) * 1000L),
                groupCommit(env),
                env.entrySet().stream().filter(e -> e.getKey().startsWith("TESSERA_") && e.getValue() != null)
                        .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    private static int groupCommit(Map<String, String> env) {
        int size = Setting.GROUP_COMMIT.intValue(env, 8);
        if (size < 1 || size > 64) {
            throw new Invalid(Setting.GROUP_COMMIT.variable + " must be from 1 to 64, got " + size);
        }
        return size;
    }

    /** The password as given (spaces are kept: they may be part of it), from its variable or its file. */
    private static String password(Map<String, String> env, boolean h2) {
        Setting s = Setting.DATABASE_PASSWORD;
        String file = env.get(s.fileVariable());
        if (file != null && !file.isBlank()) return s.raw(env); // from the file; raw refuses both being set
        String v = env.get(s.variable);
        return v != null ? v : h2 ? "" : null;
    }

    /**
     * A copy with {@code changes} made as if their variables had been set so (a null value unsets one, and a value
     * replaces a secret's {@code _FILE}): read and checked by {@link #fromEnvironment} like every other, so
     * {@link Setting} stays the one place that says what a setting is. E.g. {@code --port}, and tests' own settings.
     */
    public Config with(Map<Setting, ?> changes) {
        Map<String, String> env = new HashMap<>(variables);
        changes.forEach((setting, value) -> {
            if (setting.fileVariable() != null) env.remove(setting.fileVariable());
            if (value == null) env.remove(setting.variable);
            else env.put(setting.variable, String.valueOf(value));
        });
        return fromEnvironment(env);
    }

    /** A copy with one setting changed (null: unset), as {@link #with(Map)}. */
    public Config with(Setting setting, Object value) {
        Map<Setting, Object> change = new HashMap<>();
        change.put(setting, value);
        return with(change);
    }
}
