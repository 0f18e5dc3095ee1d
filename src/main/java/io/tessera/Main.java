package io.tessera;

import io.javalin.util.JavalinBindException;
import io.tessera.config.Config;
import io.tessera.db.Database;
import java.net.BindException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code serve} (default), {@code migrate}, {@code create-key}, {@code create-user},
 * {@code load}, {@code healthcheck}. Configuration comes from TESSERA_*
 * variables, listed by {@code --help} from {@link Config.Setting}.
 */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "tessera 0.1.0",
        description = "Self-hosted promotion and loyalty engine.",
        subcommands = {Main.Serve.class, Main.Migrate.class, Main.CreateKey.class, Main.CreateUser.class,
                Main.Load.class, Main.Healthcheck.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 = success). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main()).setUsageHelpWidth(120);
        // Every command reads the same variables: each help lists them, from their one declaration. picocli formats
        // footer lines, so a literal '%' is written '%%'.
        String[] footer = ("\n" + Config.help()).replace("%", "%%").split("\n");
        cli.getCommandSpec().usageMessage().footer(footer);
        cli.getSubcommands().values().forEach(c -> c.getCommandSpec().usageMessage().footer(footer));
        // A setting that cannot be used is one line naming it, not a stack trace.
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof Config.Invalid)) throw e;
            System.err.println("tessera: cannot start: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        return new Serve().call();
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start the HTTP server (migrations run first). Stops gracefully on SIGTERM.")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", description = "HTTP port (default: TESSERA_PORT or 8080)")
        Integer port;

        @Override
        public Integer call() throws Exception {
            Config config = Config.fromEnvironment(System.getenv());
            if (port != null) config = config.with(Config.Setting.PORT, port);
            // A start that cannot work says why in one line, without a stack trace, and exits non-zero.
            String unusable = databaseProblem(config);
            if (unusable != null) return refuse(unusable);
            // The hook is in place before the server answers: a SIGTERM that comes while the start finishes waits for
            // it and then drains, rather than ending the JVM with requests in flight.
            java.util.concurrent.atomic.AtomicReference<Application> app = new java.util.concurrent.atomic.AtomicReference<>();
            CountDownLatch startEnded = new CountDownLatch(1);
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                try {
                    startEnded.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (app.get() != null) app.get().close();
                stopped.countDown();
            }, "shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                app.set(Application.start(config, Clock.systemUTC()));
            } catch (RuntimeException e) {
                return refuse(reason(e, config));
            } finally {
                startEnded.countDown();
            }
            stopped.await();
            return 0;
        }

        private static int refuse(String why) {
            System.err.println("tessera: cannot start: " + why);
            return 1;
        }

        /** Opens the database once before the pool does (whose failure would log a stack trace); null when it opens. */
        private static String databaseProblem(Config config) {
            try (Connection c = DriverManager.getConnection(config.databaseUrl(), config.databaseUser(),
                    config.databasePassword())) {
                return null;
            } catch (SQLException e) {
                return reason(e, config);
            }
        }

        static String reason(Throwable e, Config config) {
            Throwable root = e;
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SQLException s && s.getErrorCode() == 90020)
                    return "the H2 database " + h2File(config.databaseUrl()) + " is in use by another process "
                            + "(an embedded database serves one process; stop the other one, or use PostgreSQL to run "
                            + "several nodes)";
                if (t instanceof BindException || t instanceof JavalinBindException)
                    return "port " + config.port() + " is already in use (set TESSERA_PORT or --port)";
                root = t;
            }
            String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            return message.lines().findFirst().orElse(message);
        }

        private static String h2File(String url) {
            String rest = url.replaceFirst("^jdbc:h2:(file:)?", "");
            int semicolon = rest.indexOf(';');
            return semicolon < 0 ? rest : rest.substring(0, semicolon);
        }
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply database migrations and exit.")
    static final class Migrate implements Callable<Integer> {
        @Override
        public Integer call() {
            Config config = Config.fromEnvironment(System.getenv());
            try (Database db = new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(), 2)) {
                db.migrate();
            }
            System.out.println("migrations applied");
            return 0;
        }
    }

    @Command(name = "create-key", mixinStandardHelpOptions = true, description = "Create an API key for a project (e.g. when its keys were lost).")
    static final class CreateKey implements Callable<Integer> {
        @Option(names = "--project", required = true, description = "the project's name")
        String project;

        @Option(names = "--name", defaultValue = "cli", description = "a name for the key (default: cli)")
        String name;

        @Option(names = "--scopes", split = ",", defaultValue = "admin",
                description = "comma-separated scopes: admin, validate, redeem, read (default: admin)")
        java.util.List<String> scopes;

        @Option(names = "--database-url", description = "default: TESSERA_DATABASE_URL, else the embedded database")
        String databaseUrl;

        @Override
        public Integer call() {
            java.util.Set<io.tessera.core.Scope> parsed = java.util.EnumSet.noneOf(io.tessera.core.Scope.class);
            for (String s : scopes) {
                io.tessera.core.Scope scope = io.tessera.core.Scope.parse(s.trim());
                if (scope == null) {
                    System.err.println("unknown scope '" + s + "'; use admin, validate, redeem or read");
                    return 2;
                }
                parsed.add(scope);
            }
            java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
            if (databaseUrl != null) env.put("TESSERA_DATABASE_URL", databaseUrl);
            Config config = Config.fromEnvironment(env);
            try (Database db = new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(), 2)) {
                db.migrate();
                var store = new io.tessera.project.ProjectStore(db);
                var found = store.findByName(project);
                if (found.isEmpty()) {
                    System.err.println("no project named '" + project + "'");
                    return 1;
                }
                var project = found.get();
                var service = new io.tessera.project.ProjectService(db, store, new io.tessera.audit.AuditLog(db), () -> {
                });
                var key = service.createKey(io.tessera.project.ProjectService.context(project),
                        new io.tessera.core.Actor.System("cli"),
                        name, parsed, null, java.time.Instant.now());
                System.out.println(key.key());
                return 0;
            }
        }
    }

    @Command(name = "create-user", mixinStandardHelpOptions = true,
            description = "Create an admin UI user (e.g. the first owner). The password comes from TESSERA_USER_PASSWORD, "
                    + "else it is asked for.")
    static final class CreateUser implements Callable<Integer> {
        @Option(names = "--email", required = true, description = "the user's email (their sign-in name)")
        String email;

        @Option(names = "--role", required = true, description = "owner, marketer, support or viewer")
        String role;

        @Option(names = "--database-url", description = "default: TESSERA_DATABASE_URL, else the embedded database")
        String databaseUrl;

        @Override
        public Integer call() {
            io.tessera.user.Role parsed = io.tessera.user.Role.parse(role);
            if (parsed == null) {
                System.err.println("unknown role '" + role + "'; use owner, marketer, support or viewer");
                return 2;
            }
            String password = System.getenv("TESSERA_USER_PASSWORD");
            if (password == null || password.isEmpty()) {
                java.io.Console console = System.console();
                if (console == null) {
                    System.err.println("set TESSERA_USER_PASSWORD (no terminal to ask for the password)");
                    return 2;
                }
                char[] typed = console.readPassword("Password for %s: ", email);
                char[] again = console.readPassword("Again: ");
                if (typed == null || again == null || !java.util.Arrays.equals(typed, again)) {
                    System.err.println("the passwords differ");
                    return 2;
                }
                password = new String(typed);
            }
            java.util.Map<String, String> env = new java.util.HashMap<>(System.getenv());
            if (databaseUrl != null) env.put("TESSERA_DATABASE_URL", databaseUrl);
            Config config = Config.fromEnvironment(env);
            try (Database db = new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(), 2)) {
                db.migrate();
                var users = new io.tessera.user.UserService(db, new io.tessera.user.UserStore(db));
                var user = users.create(new io.tessera.core.Actor.System("cli"), email, parsed, password,
                        java.time.Instant.now());
                System.out.println("created " + user.role().value() + " " + user.email());
                return 0;
            } catch (io.tessera.core.Failure f) {
                StringBuilder why = new StringBuilder(f.getMessage());
                f.errors().forEach(e -> why.append("; ").append(e.field()).append(": ").append(e.message()));
                System.err.println("cannot create the user: " + why);
                return 1;
            }
        }
    }

    @Command(name = "healthcheck", mixinStandardHelpOptions = true,
            description = "Ask a running server's GET /health and exit 0 when it answers UP, else 1: the container "
                    + "image has no curl, so this is its health check command.")
    static final class Healthcheck implements Callable<Integer> {
        @Option(names = "--url", description = "default: http://127.0.0.1:<TESSERA_PORT or 8080>/health")
        String url;

        @Override
        public Integer call() {
            String target = url != null ? url
                    : "http://127.0.0.1:" + Config.fromEnvironment(System.getenv()).port() + "/health";
            java.time.Duration timeout = java.time.Duration.ofSeconds(5);
            try (var client = java.net.http.HttpClient.newBuilder().connectTimeout(timeout).build()) {
                var answer = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(target))
                        .timeout(timeout).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                System.out.println(answer.statusCode() + " " + answer.body());
                return answer.statusCode() == 200 ? 0 : 1;
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.out.println("DOWN " + target + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    @Command(name = "load", mixinStandardHelpOptions = true,
            description = "Drive a running server with concurrent clients (validations, qualifications, redemptions, "
                    + "bulk generation) and compare each with its floor measured in the same run: GET /health, and "
                    + "the bare redemption transaction on the same PostgreSQL. Exits 1 when a request failed.")
    static final class Load implements Callable<Integer> {
        @Option(names = "--url", required = true, description = "the server, e.g. http://127.0.0.1:8080; several nodes of one database "
                + "comma-separated, requests spread round robin over them")
        String url;

        @Option(names = "--key", required = true,
                description = "the root key (a scratch project is created) or a project's admin key")
        String key;

        @Option(names = "--database-url",
                description = "the server's PostgreSQL (jdbc:postgresql://...), for the transaction floor; without it "
                        + "the redemption ratios are left out")
        String databaseUrl;

        @Option(names = "--database-user", description = "default: the URL's, else TESSERA_DATABASE_USER")
        String databaseUser;

        @Option(names = "--database-password", description = "default: the URL's, else TESSERA_DATABASE_PASSWORD")
        String databasePassword;

        @Option(names = "--scenario", defaultValue = "all",
                description = "all, or one or more (comma-separated) of validate, qualify, redeem-distinct, redeem-hot, "
                        + "redeem-unique and generate (default: all)")
        String scenario;

        @Option(names = "--duration", defaultValue = "20s", description = "measured time per scenario (default: 20s)")
        String duration;

        @Option(names = "--warmup", defaultValue = "60s", description = "unmeasured time before each, at least "
                + "(default: 60s; the server's JIT compilers are still busy well after 20 s of a new kind of request)")
        String warmup;

        @Option(names = "--warmup-max", defaultValue = "5m", description = "after --warmup, each goes on warming up "
                + "until the JIT compilers of the server and of this generator are quiet (under 5 % of a core), for at "
                + "most this in all (default: 5m; equal to --warmup: a fixed warm-up)")
        String warmupMax;

        @Option(names = "--rounds", defaultValue = "1", description = "measure the floors and scenarios this many "
                + "times one after the other, each floor again just before its scenarios, and print each scenario's "
                + "median ratio (default: 1; on a shared machine the pace moves over minutes)")
        int rounds;

        @Option(names = "--concurrency", defaultValue = "16",
                description = "clients (default: 16); with --rate or --rate-of-floor, the most requests in flight")
        int concurrency;

        @Option(names = "--rate", description = "an open loop at this many requests per second for every scenario: "
                + "sent at fixed intervals, latencies from when each was due (default: a closed loop, each client "
                + "calling again when answered)")
        Double rate;

        @Option(names = "--rate-of-floor", description = "an open loop at this fraction (e.g. 0.5) of each scenario's "
                + "floor rate measured in the same run; a scenario without a floor runs in the closed loop")
        Double rateOfFloor;

        @Option(names = "--json", description = "print the report as JSON instead of a table")
        boolean json;

        @Override
        public Integer call() throws Exception {
            var scenarios = io.tessera.load.Scenario.parse(scenario);
            java.time.Duration measured = duration(duration), warm = duration(warmup), warmMax = duration(warmupMax);
            if (scenarios == null) return usage("unknown scenario '" + scenario + "'; use " + io.tessera.load.Scenario.names());
            if (measured == null || measured.isZero() || warm == null || warmMax == null)
                return usage("a duration is a number with s, ms or m, e.g. 20s");
            if (concurrency < 1) return usage("--concurrency must be at least 1");
            if (rounds < 1) return usage("--rounds must be at least 1");
            if (rate != null && rateOfFloor != null) return usage("--rate and --rate-of-floor exclude each other");
            if ((rate != null && !(rate > 0)) || (rateOfFloor != null && !(rateOfFloor > 0)))
                return usage("a rate must be above 0");
            io.tessera.load.LoadRun.Pace pace = rate != null ? new io.tessera.load.LoadRun.Pace.Fixed(rate)
                    : rateOfFloor != null ? new io.tessera.load.LoadRun.Pace.OfFloor(rateOfFloor)
                    : new io.tessera.load.LoadRun.Pace.Closed();
            String user = databaseUser != null ? databaseUser : System.getenv("TESSERA_DATABASE_USER");
            String password = databasePassword != null ? databasePassword : System.getenv("TESSERA_DATABASE_PASSWORD");
            var options = new io.tessera.load.LoadRun.Options(url, key, databaseUrl, user, password, scenarios,
                    concurrency, warm, warmMax, measured, pace, rounds);
            io.tessera.load.Report report;
            try {
                report = new io.tessera.load.LoadRun(options, what -> System.err.println("tessera load: " + what + " ...")).run();
            } catch (IllegalStateException | java.io.IOException | java.sql.SQLException e) {
                // A refused connection has no message: its class says what happened.
                System.err.println("tessera load: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return 1;
            }
            if (json) {
                System.out.println(io.tessera.core.Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            } else {
                report.print(System.out);
            }
            return report.errors() == 0 ? 0 : 1;
        }

        private static int usage(String why) {
            System.err.println("tessera load: " + why);
            return 2;
        }

        /** "20s", "500ms", "1m" or a number of seconds; null when it is none of these. */
        static java.time.Duration duration(String text) {
            var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)?").matcher(text.trim());
            if (!m.matches()) return null;
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> java.time.Duration.ofMillis(n);
                case "m" -> java.time.Duration.ofMinutes(n);
                default -> java.time.Duration.ofSeconds(n);
            };
        }
    }
}
