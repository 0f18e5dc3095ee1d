package io.tessera;

import io.tessera.config.Config;
import io.tessera.db.Database;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line: {@code serve} (default), {@code migrate}, {@code create-key}. Configuration comes from TESSERA_*
 * variables.
 */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "tessera 0.1.0",
        description = "Self-hosted promotion and loyalty engine.",
        subcommands = {Main.Serve.class, Main.Migrate.class, Main.CreateKey.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (0 = success). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        return new Serve().call();
    }

    @Command(name = "serve", description = "Start the HTTP server (migrations run first).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--port", description = "HTTP port (default: TESSERA_PORT or 8080)")
        Integer port;

        @Override
        public Integer call() throws Exception {
            Config config = Config.fromEnvironment(System.getenv());
            if (port != null) config = config.withPort(port);
            Application app = Application.start(config, Clock.systemUTC());
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                app.close();
                stopped.countDown();
            }));
            stopped.await();
            return 0;
        }
    }

    @Command(name = "migrate", description = "Apply database migrations and exit.")
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

    @Command(name = "create-key", description = "Create an API key for a project (e.g. when its keys were lost).")
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
                var key = service.createKey(new io.tessera.core.ProjectContext(project.id(), project.name(),
                        project.timezone(), project.maxDiscountsPerOrder()), new io.tessera.core.Actor.System("cli"),
                        name, parsed, java.time.Instant.now());
                System.out.println(key.key());
                return 0;
            }
        }
    }
}
