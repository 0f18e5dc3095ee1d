package io.tessera.code;

import io.tessera.http.HttpProblem;
import static io.tessera.http.Api.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignStore;
import io.tessera.campaign.StoredCampaign;
import io.tessera.db.Database;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Codes of a campaign at scale: generation jobs, listing, CSV export and import, and single codes
 * ({@code /v1/codes/{code}}, read and (de)activated).
 */
public final class CodeRoutes implements Routes {
    static final String CSV_HEADER = "code,campaign,active,customer,redemptions,createdAt,publishedAt";
    private final Api api;
    private final Database db;
    private final CampaignStore campaigns;
    private final CodeStore codes;
    private final JobStore jobs;
    private final GenerationJobs generation;

    public CodeRoutes(Api api, Database db, CampaignStore campaigns, CodeStore codes, JobStore jobs,
                      GenerationJobs generation) {
        this.api = api;
        this.db = db;
        this.campaigns = campaigns;
        this.codes = codes;
        this.jobs = jobs;
        this.generation = generation;
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
        Instant now = api.now(ctx);
        StoredCampaign campaign = campaign(p, ctx.pathParam("name"));
        Input in = api.input(ctx).allow(Set.of("count", "pattern", "charset", "prefix", "suffix"));
        JsonNode setup = uniqueCodes(campaign);
        Long count = in.integer("count", true, 1, GenerationJobs.MAX_COUNT);
        String pattern = in.string("pattern", false);
        String charset = in.string("charset", false);
        String prefix = in.string("prefix", false);
        String suffix = in.string("suffix", false);
        boolean patternGiven = pattern != null || prefix != null || suffix != null;
        if (pattern == null) pattern = setup.path("pattern").asText("########");
        if (charset == null) charset = setup.path("charset").asText(CampaignParser.DEFAULT_CHARSET);
        String full = (prefix == null ? "" : prefix) + pattern + (suffix == null ? "" : suffix);
        CodePattern cp = CodePattern.check(in, full, charset);
        in.check();
        GenerationJob job = generation.create(p.projectId(), campaign.id(), cp, count, patternGiven, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", job.id());
        body.putAll(view(job));
        json(ctx, GenerationJob.RUNNING.equals(job.status()) ? 202 : 201, body);
    }

    private void job(Context ctx) {
        Principal p = api.reader(ctx);
        String id = ctx.pathParam("id");
        json(ctx, 200, view(jobs.find(p.projectId(), id).orElseThrow(() -> Failure.notFound("job " + id))));
    }

    static Map<String, Object> view(GenerationJob j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("type", "CODE_GENERATION");
        m.put("campaign", j.campaign());
        m.put("status", j.status());
        m.put("done", j.done());
        m.put("total", j.total());
        m.put("pattern", j.pattern());
        m.put("error", j.error());
        m.put("createdAt", j.createdAt());
        m.put("finishedAt", j.finishedAt());
        return m;
    }

    private void list(Context ctx) {
        Principal p = api.reader(ctx);
        StoredCampaign campaign = campaign(p, ctx.pathParam("name"));
        CodeStore.Filter filter = filter(ctx);
        int limit = Api.limit(ctx);
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !CampaignParser.CODE.matcher(cursor).matches())
            throw Failure.invalid("cursor", "is not a cursor returned by this list");
        List<CodeStore.Described> rows = codes.list(campaign.id(), campaign.name(), filter, cursor, limit + 1);
        List<Map<String, Object>> data = new ArrayList<>(limit);
        for (int i = 0; i < Math.min(limit, rows.size()); i++) data.add(view(rows.get(i)));
        json(ctx, 200, Api.page(data, rows.size() > limit ? rows.get(limit - 1).row().code() : null));
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
        StoredCampaign campaign = campaign(p, ctx.pathParam("name"));
        CodeStore.Filter filter = filter(ctx);
        ctx.status(200).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + campaign.name() + "-codes.csv\"");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            w.write(CSV_HEADER);
            w.write('\n');
            codes.stream(campaign.id(), campaign.name(), filter, d -> {
                try {
                    CodeRow r = d.row();
                    w.write(r.code());
                    w.write(',');
                    w.write(Csv.field(d.campaign()));
                    w.write(r.active() ? ",true," : ",false,");
                    w.write(Csv.field(r.customerId()));
                    w.write(',');
                    w.write(Long.toString(r.redemptions()));
                    w.write(',');
                    w.write(String.valueOf(r.createdAt()));
                    w.write(',');
                    w.write(r.publishedAt() == null ? "" : r.publishedAt().toString());
                    w.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Imports codes from CSV (one code a line, optional header {@code code}); reports what was not imported. */
    private void importCsv(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        Instant now = api.now(ctx);
        StoredCampaign campaign = campaign(p, ctx.pathParam("name"));
        String type = ctx.contentType();
        if (type != null && !type.startsWith("text/csv") && !type.startsWith("text/plain")) {
            throw new HttpProblem(415, "unsupported_media_type", "send the codes as text/csv: one code a line");
        }
        uniqueCodes(campaign);
        Csv.Parsed parsed = Csv.codes(ctx.bodyAsBytes());
        if (parsed.codes().isEmpty() && parsed.invalid().isEmpty())
            throw Failure.invalid("body", "holds no codes: send one code a line");
        boolean[] landed = parsed.codes().isEmpty() ? new boolean[0]
                : db.transaction(tx -> codes.importCodes(tx, p.projectId(), campaign.id(), parsed.codes(), now));
        long imported = 0;
        List<String> duplicates = new ArrayList<>(parsed.repeated());
        for (int i = 0; i < landed.length; i++) {
            if (landed[i]) imported++;
            else duplicates.add(parsed.codes().get(i));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("imported", imported);
        body.put("duplicates", duplicates.subList(0, Math.min(100, duplicates.size())));
        body.put("duplicateCount", duplicates.size());
        body.put("invalid", parsed.invalid().subList(0, Math.min(100, parsed.invalid().size())));
        body.put("invalidCount", parsed.invalid().size());
        json(ctx, 200, body);
    }

    private void get(Context ctx) {
        Principal p = api.reader(ctx);
        String code = code(ctx);
        json(ctx, 200, view(codes.describe(p.projectId(), code).orElseThrow(() -> Failure.notFound("code " + code))));
    }

    private void patch(Context ctx) {
        Principal p = api.project(ctx, Scope.ADMIN);
        String code = code(ctx);
        Input in = api.input(ctx).allow(Set.of("active"));
        Boolean active = in.bool("active", true);
        in.check();
        if (!codes.setActive(p.projectId(), code, active)) throw Failure.notFound("code " + code);
        json(ctx, 200, view(codes.describe(p.projectId(), code).orElseThrow()));
    }

    /** Codes are case-insensitive on input; anything that cannot be a code is simply not found. */
    private static String code(Context ctx) {
        String code = ctx.pathParam("code").trim();
        if (!CampaignParser.CODE.matcher(code).matches()) throw Failure.notFound("code " + code);
        return code.toUpperCase(Locale.ROOT);
    }

    static Map<String, Object> view(CodeStore.Described d) {
        CodeRow r = d.row();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", r.code());
        m.put("campaign", d.campaign());
        m.put("mode", r.unique() ? "UNIQUE" : "UNIVERSAL");
        m.put("active", r.active());
        m.put("customer", r.customerId());
        m.put("redemptions", r.redemptions());
        m.put("createdAt", r.createdAt());
        m.put("publishedAt", r.publishedAt());
        return m;
    }

    private StoredCampaign campaign(Principal p, String name) {
        return campaigns.find(p.projectId(), name).orElseThrow(() -> Failure.notFound("campaign " + name));
    }

    /** The campaign's UNIQUE codes setup; a campaign with a universal code (or none) cannot take unique codes. */
    static JsonNode uniqueCodes(StoredCampaign c) {
        JsonNode setup = c.definition().path("codes");
        if (!"UNIQUE".equals(setup.path("mode").asText())) {
            throw Failure.invalid("not_unique_codes", "campaign " + c.name() + (setup.isObject()
                    ? " has one universal code" : " has no codes") + "; unique codes need a campaign with UNIQUE codes", java.util.List.of());
        }
        return setup;
    }
}
