package io.tessera.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Failure;
import io.tessera.core.FieldError;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.http.Problems;
import io.tessera.http.RequestClock;
import io.tessera.http.Routes;
import io.tessera.project.ProjectService;
import io.tessera.project.ProjectStore;
import io.tessera.redemption.CheckoutRequest;
import io.tessera.user.Role;
import io.tessera.user.Session;
import io.tessera.user.User;
import io.tessera.user.UserService;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin UI under {@code /admin}: sign-in, sessions, CSRF, security headers and the frame every page shares, and
 * the pages themselves ({@link DashboardPages}, {@link CampaignPages}, {@link CodePages}, {@link CustomerPages},
 * {@link ListPages}, {@link LoyaltyPages}, {@link OperationPages}, {@link AuditPages}, {@link SettingsPages}). Pages call the same services
 * as the JSON API, with the signed-in user as the actor.
 */
public final class AdminRoutes implements Routes {
    static final String SESSION_COOKIE = "tessera_session";
    static final String SIGN_IN_COOKIE = "tessera_sign_in";
    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** No inline script or style anywhere: scripts and styles come from the jar's own files. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";
    private static final SecureRandom RANDOM = new SecureRandom();
    final Templates templates = new Templates();
    final UserService users;
    final AdminReads reads;
    private final ProjectStore projects;
    private final RequestClock clock;
    private final List<Pages> pages;

    /** A group of pages registering their routes through {@link AdminRoutes#get} and {@link AdminRoutes#post}. */
    interface Pages {
        void register(AdminRoutes admin, RoutesConfig r);
    }

    /** A page handler, given the signed-in user's request. */
    interface Handler {
        void handle(Context ctx, Admin admin) throws Exception;
    }

    /** The signed-in request: session, frame, and the project looked at (null when there is none yet). */
    record Admin(Session session, Frame frame, ProjectContext project, Instant now) {
        User user() {
            return session.user();
        }

        io.tessera.core.Actor actor() {
            return session.user().actor();
        }

        ProjectContext requireProject() {
            if (project == null) throw Failure.notFound("project (create one with POST /v1/projects first)");
            return project;
        }
    }

    public AdminRoutes(UserService users, ProjectStore projects, RequestClock clock, AdminReads reads,
                       List<Pages> pages) {
        this.users = users;
        this.projects = projects;
        this.clock = clock;
        this.reads = reads;
        this.pages = pages;
    }

    /** The admin UI as wired by {@code Application}. */
    public static AdminRoutes create(UserService users, ProjectStore projects, RequestClock clock,
                                     io.tessera.db.Database db, CampaignService campaigns,
                                     io.tessera.redemption.Checkout checkout,
                                     io.tessera.redemption.RedemptionService redemptions,
                                     io.tessera.simulation.Simulations simulations, CampaignParser parser,
                                     io.tessera.loyalty.LoyaltyReport loyalty, io.tessera.audit.AuditLog audit,
                                     io.tessera.customer.CustomerService customers,
                                     io.tessera.code.CodeService codes,
                                     io.tessera.automation.AutomationService automations,
                                     io.tessera.webhook.Webhooks webhooks,
                                     io.tessera.loyalty.LoyaltyService points, io.tessera.event.EventService events,
                                     io.tessera.qualification.Qualifications wallets,
                                     io.tessera.code.Publications publications,
                                     io.tessera.loyalty.Rewards rewards,
                                     io.tessera.approval.Approvals approvals, ProjectService projectService) {
        return new AdminRoutes(users, projects, clock, new AdminReads(db), List.of(
                new DashboardPages(campaigns, redemptions, loyalty),
                new CampaignPages(campaigns, checkout, redemptions, simulations, parser, approvals),
                new CodePages(campaigns, codes, publications),
                new CustomerPages(campaigns, customers, points, events, wallets, approvals),
                new ListPages(redemptions, users),
                new LoyaltyPages(campaigns, loyalty, rewards, approvals),
                new OperationPages(automations, webhooks),
                new AuditPages(audit, approvals),
                new SettingsPages(projectService)));
    }

    @Override
    public void register(RoutesConfig r) {
        r.before("/admin", this::headers);
        r.before("/admin/*", this::headers);
        r.get("/admin", ctx -> ctx.redirect("/admin/dashboard", io.javalin.http.HttpStatus.SEE_OTHER));
        r.get("/admin/assets/{file}", Assets::serve);
        r.get("/admin/sign-in", this::signInForm);
        r.post("/admin/sign-in", this::signIn);
        post(r, "/admin/sign-out", null, (ctx, a) -> {
            users.signOut(a.session());
            ctx.header("Set-Cookie", cookie(ctx, SESSION_COOKIE, "", 0));
            ctx.redirect("/admin/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
        });
        post(r, "/admin/project", null, (ctx, a) -> {
            String id = ctx.formParam("project");
            if (id == null || projects.find(id).isEmpty()) throw Failure.invalid("project", "no such project");
            users.switchProject(a.session(), id);
            ctx.redirect("/admin/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
        });
        for (Pages p : pages) p.register(this, r);
    }

    private void headers(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        if (!ctx.path().startsWith("/admin/assets/")) ctx.header("Cache-Control", "no-store");
    }

    // Sign-in

    private void signInForm(Context ctx) {
        // A token of its own protects the sign-in form too (no session exists yet): double submit, cookie and field.
        String token = random();
        ctx.header("Set-Cookie", cookie(ctx, SIGN_IN_COOKIE, token, 3600));
        signInPage(ctx, 200, token, "", null);
    }

    private void signInPage(Context ctx, int status, String token, String email, String error) {
        Map<String, Object> m = new HashMap<>();
        m.put("csrf", token);
        m.put("email", email);
        m.put("error", error);
        templates.page(ctx, status, "signin", m);
    }

    private void signIn(Context ctx) {
        String token = ctx.cookie(SIGN_IN_COOKIE);
        String submitted = ctx.formParam(CSRF_FIELD);
        if (token == null || submitted == null || !java.security.MessageDigest.isEqual(
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                submitted.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            error(ctx, 403, "Refused", "The form's security token is missing or wrong. Reload the sign-in page and try again.", null);
            return;
        }
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("");
        Instant now = clock.now(ctx);
        try {
            List<Frame.Option> all = reads.projects();
            UserService.SignedIn in = users.signIn(email, ctx.formParam("password"), ctx.ip(),
                    all.isEmpty() ? null : all.get(0).value(), now);
            ctx.header("Set-Cookie", cookie(ctx, SESSION_COOKIE, in.secret(), (int) UserService.SESSION_LIFETIME.toSeconds()));
            ctx.redirect("/admin/dashboard", io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (Failure.Throttled t) {
            ctx.header("Retry-After", Long.toString(t.retryAfterSeconds()));
            signInPage(ctx, 429, token, email, "Too many failed sign-ins. Try again in "
                    + UserService.THROTTLE_WINDOW.toMinutes() + " minutes.");
        } catch (Failure.Refused f) {
            signInPage(ctx, 401, token, email, "Wrong email or password.");
        }
    }

    /**
     * The session cookie: HttpOnly, SameSite=Lax, limited to /admin, and Secure when the request came over https
     * (directly, or through a proxy saying so with X-Forwarded-Proto).
     */
    static String cookie(Context ctx, String name, String value, int maxAge) {
        return name + "=" + value + "; Path=/admin; Max-Age=" + maxAge + "; HttpOnly; SameSite=Lax"
                + (https(ctx) ? "; Secure" : "");
    }

    static boolean https(Context ctx) {
        return "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    }

    private static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // The frame of signed-in pages

    /** A page any signed-in user may read. */
    void get(RoutesConfig r, String path, Handler h) {
        r.get(path, ctx -> run(ctx, null, false, h));
    }

    /** A change: needs the CSRF token and, unless null, the permission. */
    void post(RoutesConfig r, String path, Role.Permission permission, Handler h) {
        r.post(path, ctx -> run(ctx, permission, true, h));
    }

    private void run(Context ctx, Role.Permission permission, boolean change, Handler h) throws Exception {
        long started = System.nanoTime();
        try {
            runTimed(ctx, permission, change, h);
        } finally {
            // The page's server time (session, reads, rendering), for the browser's network panel and for
            // AdminPageTiming; the answer is written after the handler, so the header still goes out.
            ctx.header("Server-Timing", "app;dur=" + String.format(java.util.Locale.ROOT, "%.1f",
                    (System.nanoTime() - started) / 1e6));
        }
    }

    private void runTimed(Context ctx, Role.Permission permission, boolean change, Handler h) throws Exception {
        Instant now = clock.now(ctx);
        String secret = ctx.cookie(SESSION_COOKIE);
        Optional<Session> session = users.session(secret, now);
        if (session.isEmpty()) {
            if (ctx.header("HX-Request") != null) {
                ctx.header("HX-Redirect", "/admin/sign-in");
                ctx.status(401);
            } else if (change) {
                error(ctx, 401, "Signed out", "Your session has ended. Sign in again.", null);
            } else {
                ctx.redirect("/admin/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
            }
            return;
        }
        Session s = session.get();
        List<Frame.Option> all = reads.projects();
        String projectId = s.projectId() != null && all.stream().anyMatch(o -> o.value().equals(s.projectId()))
                ? s.projectId() : all.isEmpty() ? null : all.get(0).value();
        Frame frame = new Frame("", "", s.user(), all, projectId, UserService.csrfToken(secret));
        ProjectContext project = projectId == null ? null
                : projects.find(projectId).map(ProjectService::context).orElse(null);
        Admin admin = new Admin(s, frame, project, now);
        if (change) {
            String token = ctx.header(CSRF_HEADER);
            if (token == null) token = ctx.formParam(CSRF_FIELD);
            if (!UserService.csrfMatches(secret, token)) {
                error(ctx, 403, "Refused", "The form's security token is missing or wrong: reload the page and try "
                        + "again.", frame);
                return;
            }
        }
        if (permission != null && !s.user().may(permission)) {
            error(ctx, 403, "Not allowed", "Your role (" + s.user().role().value() + ") may not do this.", frame);
            return;
        }
        try {
            h.handle(ctx, admin);
        } catch (Failure f) {
            error(ctx, Problems.status(f), "Refused", f.getMessage() + details(f.errors()), frame);
        }
    }

    private static String details(List<FieldError> errors) {
        StringBuilder b = new StringBuilder();
        for (FieldError e : errors) b.append(" ").append(e.field()).append(": ").append(e.message()).append(".");
        return b.toString();
    }

    /** An error page (in the frame when signed in). */
    void error(Context ctx, int status, String title, String message, Frame frame) {
        Map<String, Object> m = new HashMap<>();
        m.put("frame", frame == null ? null : frame.page(title, ""));
        m.put("title", title);
        m.put("message", message);
        templates.page(ctx, status, "error", m);
    }

    void page(Context ctx, String template, Map<String, Object> params) {
        templates.page(ctx, 200, template, params);
    }

    String fragment(String template, Map<String, Object> params) {
        return templates.render(template, params);
    }

    static Map<String, Object> params(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], pairs[i + 1]);
        return m;
    }

    /** Every item of a listing, page by page (admin lists are small enough to filter in memory). */
    static <T> List<T> all(java.util.function.Function<Page.Request, Page<T>> list, int max) {
        List<T> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<T> page = list.apply(new Page.Request(Page.Request.MAX_LIMIT, cursor));
            out.addAll(page.data());
            cursor = page.nextCursor();
        } while (cursor != null && out.size() < max);
        return out;
    }

    static JsonNode tree(Object value) {
        return Json.MAPPER.valueToTree(value);
    }

    static String pretty(JsonNode node) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode object() {
        return Json.MAPPER.createObjectNode();
    }

    static CheckoutRequest checkoutRequest(Input in) {
        CheckoutRequest req = CheckoutRequest.read(in, true);
        in.check();
        return req;
    }
}
