package io.tessera;

import io.tessera.admin.AdminRoutes;
import io.tessera.audit.AuditLog;
import io.tessera.audit.AuditRoutes;
import io.tessera.automation.AutomationRoutes;
import io.tessera.automation.BirthdayBackfill;
import io.tessera.automation.AutomationRuns;
import io.tessera.automation.AutomationService;
import io.tessera.automation.AutomationTriggers;
import io.tessera.automation.Automations;
import io.tessera.automation.BirthdaySweep;
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
import io.tessera.core.ProjectContext;
import io.tessera.customer.CustomerExport;
import io.tessera.customer.CustomerRoutes;
import io.tessera.customer.CustomerService;
import io.tessera.customer.CustomerStore;
import io.tessera.customer.Profiles;
import io.tessera.customer.SegmentStore;
import io.tessera.db.Database;
import io.tessera.event.EventRoutes;
import io.tessera.event.EventService;
import io.tessera.outbox.Outbox;
import io.tessera.http.Api;
import io.tessera.http.Authenticator;
import io.tessera.http.HttpServer;
import io.tessera.http.Metrics;
import io.tessera.http.RateLimits;
import io.tessera.http.RequestClock;
import io.tessera.http.Routes;
import io.tessera.job.Scheduler;
import io.tessera.loyalty.Expiries;
import io.tessera.loyalty.LoyaltyRoutes;
import io.tessera.loyalty.LoyaltyReport;
import io.tessera.loyalty.LoyaltyService;
import io.tessera.loyalty.MemberAccounts;
import io.tessera.loyalty.RewardRoutes;
import io.tessera.loyalty.Rewards;
import io.tessera.message.MessagePersonalData;
import io.tessera.message.MessageRoutes;
import io.tessera.message.MessageSending;
import io.tessera.message.MessageService;
import io.tessera.message.SmtpMailer;
import io.tessera.order.OrderRoutes;
import io.tessera.order.OrderService;
import io.tessera.order.OrderStore;
import io.tessera.referral.Referrals;
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
import io.tessera.redemption.Rollups;
import io.tessera.rule.Rules;
import io.tessera.simulation.SimulationRoutes;
import io.tessera.simulation.Simulations;
import io.tessera.system.SystemRoutes;
import io.tessera.webhook.CustomerCreated;
import io.tessera.webhook.Deliveries;
import io.tessera.webhook.WebhookRoutes;
import io.tessera.transfer.ProjectTransfer;
import io.tessera.transfer.TransferRoutes;
import io.tessera.webhook.Webhooks;
import io.tessera.user.UserService;
import io.tessera.user.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every part of the server, wired by hand: read this to see what Tessera is made of. */
public final class Application implements AutoCloseable {
    /** How often gauges backed by a query (scheduler backlog, generation progress) read the database, at most. */
    private static final long METRICS_SAMPLE_MILLIS = 5_000;
    private static final Logger LOG = LoggerFactory.getLogger(Application.class);
    private final Database db;
    private final HttpServer http;
    private final Scheduler scheduler;
    private final GuessGuard guessGuard;
    private final MessageService messages;
    private final Duration shutdownWait;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Application(Database db, HttpServer http, Scheduler scheduler, GuessGuard guessGuard,
                        MessageService messages, Duration shutdownWait) {
        this.db = db;
        this.http = http;
        this.scheduler = scheduler;
        this.guessGuard = guessGuard;
        this.messages = messages;
        this.shutdownWait = shutdownWait;
    }

    public static Application start(Config config, Clock clock) {
        // A bad SMTP setting stops the start before anything else, with one line saying what is wrong.
        Config.Messages messaging = config.messages();
        SmtpMailer mailer = messaging.smtpUrl() == null ? null : SmtpMailer.of(messaging.smtpUrl(), messaging.from());
        Database db = new Database(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                config.databasePoolSize());
        Duration shutdownWait = Duration.ofSeconds(config.shutdownSeconds());
        ProjectStore projects = new ProjectStore(db);
        ProjectStore.RootKey root = null;
        Scheduler scheduler = null;
        try {
            db.migrate();
            root = projects.rootKey(config.rootKey());
            Metrics metrics = new Metrics();
            db.instrument(metrics.registry());
            RequestClock requestClock = new RequestClock(clock, config.testClock());
            Api api = new Api(new Authenticator(projects::principal, root.hash()), requestClock, config.maxBodyBytes(),
                    db.postgres() ? RateLimits.shared(db.dataSource()) : RateLimits.local());
            Rules rules = new Rules();
            // The one scheduler: every kind of background work registers its handler here.
            scheduler = new Scheduler(db, clock, config.testClock(), config.schedulerPollMillis(),
                    config.schedulerWorkers());

            AuditLog audit = new AuditLog(db);
            ProjectService projectService = new ProjectService(db, projects, audit, api.authenticator()::invalidate);

            CampaignStore campaignStore = new CampaignStore(db);
            CampaignParser parser = new CampaignParser(rules);
            ActiveCampaigns active = new ActiveCampaigns(db, campaignStore, parser, projects::version,
                    config.cacheRefreshMillis());
            CodeStore codes = new CodeStore(db);
            CustomerStore customers = new CustomerStore(db);
            SegmentStore segments = new SegmentStore(db);
            // customer.loyalty comes from the loyalty feature (which depends on customer), read only when a campaign or
            // a dynamic segment of the project may read it.
            MemberAccounts accounts = new MemberAccounts(db, parser);
            Profiles profiles = new Profiles(db, customers, segments, rules, projects::version,
                    config.cacheRefreshMillis(), accounts, (tx, projectId) -> active.get(tx, projectId).readsCustomerLoyalty());
            CounterStore counters = new CounterStore(db);
            // Redemption figures of closed days for the dashboard and campaign stats, rolled up by a daily task per
            // project (started with the project, or at a node's start for projects without one today). The test
            // clock's instants need not move forward, so with it nothing is rolled up unless a test schedules it.
            Rollups rollups = new Rollups(db, scheduler);
            scheduler.register(Rollups.KIND, rollups, Rollups.RETRY);
            if (!config.testClock())
                projectService.onCreate((tx, project) -> rollups.schedule(tx, project.id(), project.createdAt()));
            RedemptionStore redemptions = new RedemptionStore(db, counters, customers, rollups);
            Outbox outbox = new Outbox();
            JobStore jobs = new JobStore(db);
            GenerationJobs codeJobs = new GenerationJobs(db, jobs, codes, scheduler);
            scheduler.register(GenerationJobs.KIND, codeJobs, GenerationJobs.RETRY);
            // Campaigns are made with their codes (the code feature) and change the counters of their limits.
            CodeService[] codeService = new CodeService[1];
            CampaignService campaigns = new CampaignService(db, campaignStore, parser, active, audit,
                    (tx, project, campaign, now) -> codeService[0].created(tx, project, campaign, now),
                    counters::limitsChanged);
            codeService[0] = new CodeService(db, campaigns, codes, jobs, codeJobs, audit);
            GuessGuard guessGuard = new GuessGuard(db, config.guessLimit(), config.guessKeyLimit(),
                    Duration.ofSeconds(config.guessWindowSeconds()), clock);
            guessGuard.bindTo(metrics.registry());
            Qualifications qualifications = new Qualifications(active, codes, counters, customers, accounts, db,
                    projects::version, config.cacheRefreshMillis());

            // Loyalty earns and reverses, and referrals convert, inside the order's transaction (orders know them only as
            // OrderChanges).
            LoyaltyService loyalty = new LoyaltyService(db, parser, customers, profiles, scheduler, outbox, audit);
            scheduler.register(LoyaltyService.EXPIRE_KIND, new Expiries(db, loyalty), Expiries.RETRY);
            // Checkout pays with points and rollbacks give them back through redemption.LoyaltyPoints.
            Checkout checkout = new Checkout(db, active, codes, customers, profiles, redemptions, counters, loyalty,
                    outbox, db.postgres() ? config.groupCommit() : 1);
            // Webhooks: every outbox event becomes deliveries in its own transaction, sent by scheduled tasks.
            Webhooks webhooks = new Webhooks(db, scheduler, audit, clock, config.webhookAllowPrivate(),
                    config.cacheRefreshMillis());
            outbox.subscribe(webhooks.fanOut());
            scheduler.register(Deliveries.KIND, webhooks.deliveries(), Deliveries.RETRY);
            customers.onChange(new CustomerCreated(outbox));
            Publications publications = new Publications(db, campaigns, customers, outbox, audit);
            // A reward claim spends the points and publishes its code in one transaction.
            Rewards rewards = new Rewards(db, loyalty, campaigns, customers, publications, audit);
            // Messages render templates (publishing codes) and are sent, throttled, by a scheduled task.
            MessageService messages = new MessageService(db, customers, campaigns, publications, accounts, scheduler);
            scheduler.register(MessageSending.KIND, new MessageSending(db, customers, outbox, scheduler,
                    messaging.perSecond(), mailer), MessageSending.RETRY);
            // Automations start runs inside the transactions of orders, events, customer changes and loyalty events
            // (the outbox); each run is a scheduler task, and a birthday sweep per project and day starts birthdays.
            Automations automations = new Automations(db, rules, config.cacheRefreshMillis());
            AutomationTriggers triggers = new AutomationTriggers(automations, customers, profiles, loyalty, scheduler);
            customers.onChange(triggers);
            outbox.subscribe(triggers);
            java.util.function.Function<String, java.util.Optional<ProjectContext>> contexts = id -> projects.find(id)
                    .map(ProjectService::context);
            scheduler.register(AutomationRuns.KIND, new AutomationRuns(automations, contexts, profiles, campaigns,
                    publications, loyalty, outbox, messages), AutomationRuns.RETRY);
            BirthdayBackfill backfill = new BirthdayBackfill(automations, scheduler);
            scheduler.register(BirthdayBackfill.KIND, backfill, BirthdayBackfill.RETRY);
            BirthdaySweep birthdays = new BirthdaySweep(automations, triggers, contexts, scheduler, backfill);
            scheduler.register(BirthdaySweep.KIND, birthdays, BirthdaySweep.RETRY);
            AutomationService automationService = new AutomationService(automations, campaigns, segments, webhooks, birthdays,
                    audit);
            CustomerService customerService = new CustomerService(db, customers, segments, profiles, rules,
                    new CustomerExport(db), audit, List.of(new MessagePersonalData(db), automationService,
                            webhooks.personalData()));
            RedemptionService redemptionService = new RedemptionService(db, redemptions, counters, campaigns, loyalty,
                    outbox, rollups);
            Simulations simulations = new Simulations(db, parser, customers, profiles);
            LoyaltyReport loyaltyReport = new LoyaltyReport(db, loyalty);
            // Customer events earn loyalty points (event:<type> rules) in the event's transaction.
            EventService events = new EventService(db, customers, List.of(loyalty, triggers));
            // The admin UI (/admin): its own users and sessions, the same services as the JSON API.
            AdminRoutes admin = AdminRoutes.create(new UserService(db, new UserStore(db)), projects, requestClock, db,
                    campaigns, checkout, redemptionService, simulations, parser, loyaltyReport, audit, customerService,
                    codeService[0], automationService, webhooks, loyalty, events, qualifications, publications,
                    rewards,
                    // Changes by non-owners in the UI may wait for an owner (the project's approval policy).
                    new io.tessera.approval.Approvals(db, projectService, campaigns, loyalty, audit), projectService);
            List<Routes> features = List.of(
                    new SystemRoutes(api, db, metrics, scheduler),
                    new ProjectRoutes(api, projectService),
                    new AuditRoutes(api, audit, customerService::auditResource),
                    // Registered before the campaign routes: "simulate" is not a campaign's name.
                    new SimulationRoutes(api, simulations),
                    new CampaignRoutes(api, campaigns),
                    new CustomerRoutes(api, customerService),
                    new OrderRoutes(api, new OrderService(db, new OrderStore(db), customers,
                            List.of(loyalty, new Referrals(parser, loyalty, publications, outbox), triggers))),
                    new EventRoutes(api, events),
                    new AutomationRoutes(api, automationService),
                    new LoyaltyRoutes(api, loyalty),
                    new RewardRoutes(api, rewards, loyaltyReport),
                    new CheckoutRoutes(api, checkout, redemptionService, guessGuard),
                    new CodeRoutes(api, codeService[0]),
                    new PublicationRoutes(api, publications),
                    new QualificationRoutes(api, checkout, qualifications),
                    new MessageRoutes(api, messages),
                    new WebhookRoutes(api, webhooks),
                    new TransferRoutes(api, new ProjectTransfer(db, audit, rules, projectService, customerService,
                            campaigns, parser, rewards, webhooks, automationService)),
                    admin);
            // Operators' meters (docs/metrics.md): outcomes, caches, background work; DB-backed gauges sampled.
            checkout.bindTo(metrics.registry());
            active.bindTo(metrics.registry());
            profiles.bindTo(metrics.registry());
            scheduler.bindTo(metrics.registry(), METRICS_SAMPLE_MILLIS);
            codeJobs.bindTo(metrics.registry(), METRICS_SAMPLE_MILLIS);
            // Before the server answers: a node that answers /health has finished starting.
            if (!config.testClock()) rollups.catchUp(clock.instant());
            HttpServer http = new HttpServer(config.port(), config.maxBodyBytes(), config.httpLimits(), shutdownWait,
                    metrics, features)
                    .start();
            scheduler.start(); // resumes work a previous run left
            if (root.generatedSecret() != null) {
                // Shown once, and only once the server is up: a start that fails forgets it (see the catch below).
                System.out.println("Generated root key (shown once, store it safely): " + root.generatedSecret());
            }
            LOG.info("Tessera listening on port {} ({}{})", http.port(), db.postgres() ? "PostgreSQL" : "H2",
                    config.testClock() ? ", test clock enabled" : "");
            return new Application(db, http, scheduler, guessGuard, messages, shutdownWait);
        } catch (RuntimeException e) {
            if (scheduler != null) scheduler.close(Duration.ZERO);
            if (root != null && root.generatedSecret() != null) {
                try {
                    projects.forgetGeneratedRootKey(root.hash());
                } catch (RuntimeException notForgotten) {
                    // It stays stored, so it must not be lost: show it after all.
                    System.out.println("Generated root key (shown once, store it safely): " + root.generatedSecret());
                }
            }
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

    /** The HTTP routes served (the OpenAPI reference is checked against them). */
    public List<String> routes() {
        return http.routes();
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Code-guessing protection, for its counters (refused requests, failed code checks). */
    public GuessGuard guessGuard() {
        return guessGuard;
    }

    /** Messages: rendering and queueing (automations call it; tests queue through it). */
    public MessageService messages() {
        return messages;
    }

    /**
     * Graceful stop (SIGTERM): stop accepting and let the requests in flight finish (bounded wait), let running tasks
     * reach a safe point and give back their leases, then close the pool.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            http.close();
        } catch (RuntimeException e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        scheduler.close(shutdownWait);
        db.close();
    }
}
