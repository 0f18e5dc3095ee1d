package io.tessera.code;

import io.tessera.http.HttpProblem;
import static io.tessera.http.Api.json;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.campaign.CampaignParser;
import io.tessera.http.Api;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Principal;
import io.tessera.http.Routes;
import io.tessera.core.Scope;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Codes of a campaign at scale: generation jobs, listing, CSV export and import, and single codes
 * ({@code /v1/codes/{code}}, read and (de)activated).
 */
public final class CodeRoutes implements Routes {
    private static final Set<String> FILTERS = Set.of("status", "q", "customer", "limit", "cursor");
    private final Api api;
    private final CodeService service;

    public CodeRoutes(Api api, CodeService service) {
        this.api = api;
        this.service = service;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/v1/campaigns/{name}/codes", this::generate);
        r.get("/v1/campaigns/{name}/codes", this::list);
        r.get("/v1/campaigns/{name}/codes.csv", this::export);
        r.post("/v1/campaigns/{name}/codes/import", this::importCsv);
        r.get("/v1/jobs/{id}", this::job);
        r.get("/v1/codes/{code}", this::get);
        r.patch("/v1/codes/{code}", this::patch);
    }

    private void generate(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Input in = api.input(ctx).allow(Set.of("count", "pattern", "charset", "prefix", "suffix"));
        Long count = in.integer("count", true, 1, GenerationJobs.MAX_COUNT);
        var request = new CodeService.Generate(count == null ? 0 : count, in.string("pattern", false),
                in.string("charset", false), in.string("prefix", false), in.string("suffix", false));
        GenerationJob job = service.generate(p.project(), p.actor(), ctx.pathParam("name"), request, in, api.now(ctx));
        json(ctx, GenerationJob.RUNNING.equals(job.status()) ? 202 : 201, JobView.of(job));
    }

    private void job(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, JobView.of(service.job(p.project(), ctx.pathParam("id"))));
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, FILTERS);
        json(ctx, 200, service.list(p.project(), ctx.pathParam("name"), filter(ctx), Api.page(ctx)));
    }

    private static CodeStore.Filter filter(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !CodeStore.Filter.STATUSES.contains(status))
            throw Failure.invalid("status", "must be unused, published or redeemed");
        String q = ctx.queryParam("q");
        return new CodeStore.Filter(status, q == null || q.isBlank() ? null : q.trim().toUpperCase(Locale.ROOT),
                ctx.queryParam("customer"));
    }

    /** Streams the codes as CSV straight from a database cursor: memory stays flat for millions of codes. */
    private void export(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of("status", "q", "customer"));
        String name = ctx.pathParam("name");
        CodeStore.Filter filter = filter(ctx);
        service.list(p.project(), name, filter, new io.tessera.core.Page.Request(1, null)); // 404 before streaming
        ctx.status(200).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + name + "-codes.csv\"");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            service.exportCsv(p.project(), name, filter, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports codes from CSV (one code a line, optional header {@code code}); reports what was not imported. */
    private void importCsv(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        String type = ctx.contentType();
        if (type != null && !type.startsWith("text/csv") && !type.startsWith("text/plain")) {
            throw new HttpProblem(415, "unsupported_media_type", "send the codes as text/csv: one code a line");
        }
        json(ctx, 200, service.importCsv(p.project(), p.actor(), ctx.pathParam("name"), ctx.bodyAsBytes(), api.now(ctx)));
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        Api.query(ctx, Set.of());
        json(ctx, 200, service.get(p.project(), code(ctx)));
    }

    private void patch(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        String code = code(ctx);
        Input in = api.input(ctx).allow(Set.of("active"));
        Boolean active = in.bool("active", true);
        in.check();
        json(ctx, 200, service.setActive(p.project(), p.actor(), code, active, api.now(ctx)));
    }

    /** Codes are case-insensitive on input; anything that cannot be a code is simply not found. */
    private static String code(Context ctx) {
        String code = ctx.pathParam("code").trim();
        if (!CampaignParser.CODE.matcher(code).matches()) throw Failure.notFound("code " + code);
        return code.toUpperCase(Locale.ROOT);
    }
}
