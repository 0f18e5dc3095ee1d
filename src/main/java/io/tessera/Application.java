package io.tessera;

import io.tessera.audit.AuditLog;
import io.tessera.audit.AuditRoutes;
import io.tessera.campaign.ActiveCampaigns;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignRoutes;
import io.tessera.campaign.CampaignService;
import io.tessera.campaign.CampaignStore;
import io.tessera.code.CodeRoutes;
import io.tessera.code.CodeService;
import io.tessera.code.CodeStore;
import io.tessera.code.GenerationJobs;
import io.tessera.code.GuessGuard;
import io.tessera.code.JobStore;
import io.tessera.code.PublicationRoutes;
import io.tessera.code.Publications;
import io.tessera.config.Config;
import io.tessera.customer.CustomerExport;
import io.tessera.customer.CustomerRoutes;
import io.tessera.customer.CustomerService;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.customer.SegmentStore;
import io.tessera.db.Database;
import io.tessera.event.Outbox;
import io.tessera.http.Api;
import io.tessera.http.Authenticator;
import io.tessera.http.HttpServer;
import io.tessera.http.Metrics;
import io.tessera.http.RequestClock;
import io.tessera.http.Routes;
import io.tessera.order.OrderRoutes;
import io.tessera.order.OrderService;
import io.tessera.order.OrderStore;
import io.tessera.project.ProjectRoutes;
import io.tessera.project.ProjectService;
import io.tessera.project.ProjectStore;
import io.tessera.qualification.QualificationRoutes;
import io.tessera.qualification.Qualifications;
import io.tessera.redemption.Checkout;
import io.tessera.redemption.CheckoutRoutes;
import io.tessera.redemption.CounterStore;
import io.tessera.redemption.RedemptionService;
import io.tessera.redemption.RedemptionStore;
import io.tessera.rule.Rules;
import io.tessera.system.SystemRoutes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every part of the server, wired by hand: read this to see what Tessera is made of. */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private final Database db;
    private final HttpServer http;
    private final GenerationJobs codeJobs;
    private final GuessGuard guessGuard;

    private Application(Database db, HttpServer http, GenerationJobs codeJobs, GuessGuard guessGuard) {
        this.db = db;
        this.http = http;
        this.codeJobs = codeJobs;
        this.guessGuard = guessGuard;
    }

    public static Application start(Config config, Clock clock) {
        Database db = new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize());
        GenerationJobs codeJobs = null;
        try {
            db.migrate();
            ProjectStore projects = new ProjectStore(db);
            ProjectStore.RootKey root = projects.rootKey(config.rootKey());
            if (root.generatedSecret() != null) {
                // Printed once, on the first start without TESSERA_ROOT_KEY; only its hash is kept.
                System.out.println("Generated root key (shown once, store it safely): " + root.generatedSecret());
            }
            Metrics metrics = new Metrics();
            db.instrument(metrics.registry());
            RequestClock requestClock = new RequestClock(clock, config.testClock());
            Api api = new Api(new Authenticator(projects::principal, root.hash()), requestClock, config.maxBodyBytes());
            Rules rules = new Rules();

            AuditLog audit = new AuditLog(db);
            ProjectService projectService = new ProjectService(db, projects, audit, api.authenticator()::invalidate);

            CampaignStore campaignStore = new CampaignStore(db);
            CampaignParser parser = new CampaignParser(rules);
            ActiveCampaigns active = new ActiveCampaigns(campaignStore, parser, projects::version,
                    config.cacheRefreshMillis());
            CodeStore codes = new CodeStore(db);
            CustomerStore customers = new CustomerStore(db);
            SegmentStore segments = new SegmentStore(db);
            Profiles profiles = new Profiles(customers, segments, rules, projects::version, config.cacheRefreshMillis());
            CounterStore counters = new CounterStore(db);
            RedemptionStore redemptions = new RedemptionStore(db, counters);
            Checkout checkout = new Checkout(db, active, codes, customers, profiles, redemptions, counters);
            Outbox outbox = new Outbox();
            JobStore jobs = new JobStore(db);
            codeJobs = new GenerationJobs(db, jobs, codes, clock).start();
            // Campaigns are made with their codes (the code feature) and change the counters of their limits.
            CodeService[] codeService = new CodeService[1];
            CampaignService campaigns = new CampaignService(db, campaignStore, parser, active, audit,
                    (tx, project, campaign, now) -> codeService[0].created(tx, project, campaign, now),
                    (tx, before, after, zone) -> {
                        counters.rebalance(tx, before.id(), before.limits(), after.limits());
                        counters.materialize(tx, before, after, zone);
                    });
            codeService[0] = new CodeService(db, campaigns, codes, jobs, codeJobs, audit);
            GuessGuard guessGuard = new GuessGuard(db, codes, config.guessLimit(), config.guessKeyLimit(),
                    Duration.ofSeconds(config.guessWindowSeconds()), clock);
            guessGuard.bindTo(metrics.registry());
            Qualifications qualifications = new Qualifications(active, codes, counters, customers, projects::version,
                    config.cacheRefreshMillis());

            List<Routes> features = List.of(
                    new SystemRoutes(api, db, metrics),
                    new ProjectRoutes(api, projectService),
                    new AuditRoutes(api, audit),
                    new CampaignRoutes(api, campaigns),
                    new CustomerRoutes(api, new CustomerService(db, customers, segments, profiles, rules,
                            new CustomerExport(db), audit)),
                    new OrderRoutes(api, new OrderService(db, new OrderStore(db), customers)),
                    new CheckoutRoutes(api, checkout, new RedemptionService(db, redemptions, counters, campaigns),
                            guessGuard),
                    new CodeRoutes(api, codeService[0]),
                    new PublicationRoutes(api, new Publications(db, campaigns, customers, outbox)),
                    new QualificationRoutes(api, checkout, qualifications));
            HttpServer http = new HttpServer(config.port(), config.maxBodyBytes(), metrics, features).start();
            LOG.info("Tessera listening on port {} ({}{})", http.port(), db.postgres() ? "PostgreSQL" : "H2",
                    config.testClock() ? ", test clock enabled" : "");
            return new Application(db, http, codeJobs, guessGuard);
        } catch (RuntimeException e) {
            if (codeJobs != null) codeJobs.close();
            db.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    public Database database() {
        return db;
    }

    /** Code-guessing protection, for its counters (refused requests, failed code checks). */
    public GuessGuard guessGuard() {
        return guessGuard;
    }

    @Override
    public void close() {
        http.close();
        codeJobs.close(); // finishes the chunk in progress and releases the leases: jobs resume on the next start
        db.close();
    }
}
