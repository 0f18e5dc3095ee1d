package io.tessera;

import io.javalin.config.RoutesConfig;
import io.tessera.campaign.ActiveCampaigns;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignRoutes;
import io.tessera.campaign.CampaignStore;
import io.tessera.code.CodeStore;
import io.tessera.config.Config;
import io.tessera.customer.CustomerExport;
import io.tessera.customer.CustomerRoutes;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.customer.SegmentStore;
import io.tessera.db.Database;
import io.tessera.http.Api;
import io.tessera.http.Authenticator;
import io.tessera.http.HttpServer;
import io.tessera.http.Metrics;
import io.tessera.http.RequestClock;
import io.tessera.http.Routes;
import io.tessera.order.OrderRoutes;
import io.tessera.project.ProjectRoutes;
import io.tessera.project.ProjectStore;
import io.tessera.redemption.Checkout;
import io.tessera.redemption.CheckoutRoutes;
import io.tessera.redemption.CounterStore;
import io.tessera.redemption.RedemptionStore;
import io.tessera.rule.Rules;
import io.tessera.system.SystemRoutes;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every part of the server, wired by hand: read this to see what Tessera is made of. */
public final class Application implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private final Database db;
    private final HttpServer http;

    private Application(Database db, HttpServer http) {
        this.db = db;
        this.http = http;
    }

    public static Application start(Config config, Clock clock) {
        Database db = new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize());
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
            Api api = new Api(new Authenticator(projects, root.hash()), requestClock, config.maxBodyBytes());
            Rules rules = new Rules();

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

            List<Routes> features = List.of(
                    new SystemRoutes(api, db, metrics),
                    new ProjectRoutes(api, projects),
                    new CampaignRoutes(api, db, campaignStore, parser, codes, active, counters),
                    new CustomerRoutes(api, db, customers, segments, profiles, rules, new CustomerExport(db)),
                    new OrderRoutes(api, db, customers),
                    new CheckoutRoutes(api, db, checkout, redemptions, campaignStore, counters));
            HttpServer http = new HttpServer(config.port(), config.maxBodyBytes(), metrics, features).start();
            LOG.info("Tessera listening on port {} ({}{})", http.port(), db.postgres() ? "PostgreSQL" : "H2",
                    config.testClock() ? ", test clock enabled" : "");
            return new Application(db, http);
        } catch (RuntimeException e) {
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

    @Override
    public void close() {
        http.close();
        db.close();
    }
}
