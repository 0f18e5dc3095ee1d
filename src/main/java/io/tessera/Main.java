package io.tessera;

import io.tessera.config.Config;
import io.tessera.db.Database;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: {@code serve} (default), {@code migrate}. Configuration comes from TESSERA_* variables. */
@Command(name = "tessera", mixinStandardHelpOptions = true, version = "tessera 0.1.0",
        description = "Self-hosted promotion and loyalty engine.",
        subcommands = {Main.Serve.class, Main.Migrate.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
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
}
