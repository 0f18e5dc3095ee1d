package io.tessera.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The CPU a measured window cost, per request: the server's (the sum over its nodes of
 * {@code process_cpu_time_ns_total} from {@code /metrics}) and its database's (the backends of the database, read from
 * {@code /proc} when PostgreSQL runs on this machine). On a shared, noisy machine throughput moves with the other
 * processes; CPU per request much less, so it is what to compare between two builds or with a floor.
 */
final class CpuMeter {
    /** Linux reports process times in clock ticks of 1/100 s on every architecture it runs on (USER_HZ). */
    private static final double TICK_NANOS = 10_000_000;
    private final Http http;
    private final String databaseUrl;
    private final Properties login = new Properties();

    /** {@code databaseUrl} null: no database figure. */
    CpuMeter(Http http, String databaseUrl, String user, String password) {
        this.http = http;
        this.databaseUrl = databaseUrl != null && local(databaseUrl) ? databaseUrl : null;
        if (user != null) login.setProperty("user", user);
        if (password != null) login.setProperty("password", password);
    }

    /**
     * CPU milliseconds per request of a window; a figure is null when it could not be read. {@code generator} is this
     * process's own: on one machine it competes with the server and the database for the same cores.
     */
    record PerRequest(Double server, Double database, Double generator, boolean serverless) {
        /**
         * All three summed; null when one could not be read. A window without the server (the PostgreSQL floor) counts
         * it as 0: it has none.
         */
        Double total() {
            if (database == null || generator == null || (server == null && !serverless)) return null;
            return Report.round((server == null ? 0 : server) + database + generator, 3);
        }
    }

    /** A window to pass to the driver; {@link #perRequest} once it closed. */
    final class Measured implements Driver.Window {
        private final boolean server;
        private double server0 = Double.NaN, server1 = Double.NaN, db0 = Double.NaN, db1 = Double.NaN;
        private double own0 = Double.NaN, own1 = Double.NaN;

        private Measured(boolean server) {
            this.server = server;
        }

        @Override
        public void opened() {
            if (server) server0 = serverNanos();
            db0 = databaseNanos();
            own0 = ownNanos();
        }

        @Override
        public void closed() {
            own1 = ownNanos();
            if (server) server1 = serverNanos();
            db1 = databaseNanos();
        }

        PerRequest perRequest(long requests) {
            return new PerRequest(ms(server1 - server0, requests), ms(db1 - db0, requests), ms(own1 - own0, requests),
                    !server);
        }
    }

    /** A window for a scenario ({@code server} true) or for a floor that does not involve the server. */
    Measured window(boolean server) {
        return new Measured(server);
    }

    private static Double ms(double nanos, long requests) {
        return Double.isNaN(nanos) || requests == 0 ? null : Report.round(nanos / requests / 1e6, 3);
    }

    private double serverNanos() {
        return serverSum("process_cpu_time_ns_total");
    }

    /**
     * A counter of {@code /metrics} (of one series) summed over the server's nodes; NaN when a node does not tell it.
     */
    private double serverSum(String counter) {
        try {
            double sum = 0;
            for (Http.Response r : http.getEach("/metrics")) {
                if (r.statusCode() != 200) return Double.NaN;
                double v = Double.NaN;
                for (String line : r.body().split("\n")) {
                    // Without labels, or with some (the compilation time's compiler): one series per name here.
                    if (line.startsWith(counter + " ") || line.startsWith(counter + "{"))
                        v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
                if (Double.isNaN(v)) return Double.NaN;
                sum += v;
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * The compilers are quiet when, since the last look, each of this process's and (for a window with the server) the
     * server's nodes' together compiled for less than this share of the time (Micrometer's
     * {@code jvm_compilation_time_ms_total}, summed over each JVM's compiler threads): a twentieth of one core.
     */
    static final double QUIET = 0.05;

    /**
     * The JIT compilers of this process and, when {@code server}, of the server's nodes, for a warm-up. A server that
     * does not publish its compilation time counts as quiet: the warm-up then waits for this process's alone.
     */
    Driver.Jit jit(boolean server) {
        return new Driver.Jit() {
            private double own, theirs;
            private long at;

            @Override
            public void mark() {
                at = System.nanoTime();
                own = ownCompilationMillis();
                theirs = server ? serverSum("jvm_compilation_time_ms_total") : Double.NaN;
            }

            @Override
            public boolean quiet() {
                double ownBefore = own, theirsBefore = theirs, millis = (System.nanoTime() - at) / 1e6;
                mark();
                boolean ownQuiet = Double.isNaN(own) || own - ownBefore < QUIET * millis;
                boolean theirsQuiet = Double.isNaN(theirs) || Double.isNaN(theirsBefore)
                        || theirs - theirsBefore < QUIET * millis;
                return ownQuiet && theirsQuiet;
            }
        };
    }

    /** This process's JIT compilation time so far in milliseconds, NaN where the JVM does not tell it. */
    private static double ownCompilationMillis() {
        var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? Double.NaN : jit.getTotalCompilationTime();
    }

    /** This process's CPU time, NaN where the JVM does not tell it. */
    private static double ownNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? Double.NaN : nanos;
        }
        return Double.NaN;
    }

    /** The CPU time of the database's backends now, in nanoseconds (a backend that ended within the window is lost). */
    private double databaseNanos() {
        if (databaseUrl == null) return Double.NaN;
        List<Long> pids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(databaseUrl, login); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pid from pg_stat_activity where datname = current_database() "
                     + "and pid <> pg_backend_pid()")) {
            while (rs.next()) pids.add(rs.getLong(1));
        } catch (SQLException e) {
            return Double.NaN;
        }
        long ticks = 0;
        int read = 0;
        for (long pid : pids) {
            try {
                // Fields after the command (which may hold spaces, so read from its closing parenthesis): utime is the
                // 14th field of the line, stime the 15th.
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                read++;
            } catch (IOException | RuntimeException e) {
                // The backend ended meanwhile, or /proc is not readable here.
            }
        }
        return read == 0 ? Double.NaN : ticks * TICK_NANOS;
    }

    private static boolean local(String url) {
        return url.contains("//127.0.0.1") || url.contains("//localhost") || url.contains("//[::1]");
    }
}
