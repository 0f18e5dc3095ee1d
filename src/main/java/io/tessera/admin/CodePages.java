package io.tessera.admin;

import static io.tessera.admin.AdminRoutes.params;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignService;
import io.tessera.code.CodeService;
import io.tessera.code.CodeStore;
import io.tessera.code.CodeView;
import io.tessera.code.GenerationJob;
import io.tessera.code.GenerationJobs;
import io.tessera.code.ImportResult;
import io.tessera.code.Publications;
import io.tessera.core.Checks;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.core.Page;
import io.tessera.user.Role;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Codes: a campaign's codes searched by the start of the code, the customer holding it and status, each enabled or
 * disabled; a code published to a customer; the CSV export (streamed) and import; bulk generation with its progress.
 * Changes need the CODES permission; each goes through the API's service with the user as actor.
 */
public final class CodePages implements AdminRoutes.Pages {
    private static final int SHOWN = 100;
    private final CampaignService campaigns;
    private final CodeService codes;
    private final Publications publications;

    CodePages(CampaignService campaigns, CodeService codes, Publications publications) {
        this.campaigns = campaigns;
        this.codes = codes;
        this.publications = publications;
    }

    /**
     * The codes page: the search and what it found; {@code unique} the campaigns with unique codes (those codes can be
     * published, imported and generated for); {@code notice} what the last change did; {@code job} a generation job
     * to follow (null when none).
     */
    public record View(List<String> campaigns, List<String> unique, String campaign, String q, String customer,
                       String status, List<String> statuses, List<CodeView> codes, boolean more, String exportUrl,
                       String notice, List<String> details, Progress job) {
        public boolean uniqueCodes() {
            return unique.contains(campaign);
        }
    }

    /** A generation job as its progress element shows it. */
    public record Progress(String id, String campaign, String status, long done, long total, String error) {
        static Progress of(GenerationJob j) {
            return new Progress(j.id(), j.campaign(), j.status(), j.done(), j.total(), j.error());
        }

        public boolean running() {
            return GenerationJob.RUNNING.equals(status);
        }

        /** "12,000 of 100,000". */
        public String text() {
            return String.format(Locale.ENGLISH, "%,d of %,d", done, total);
        }
    }

    @Override
    public void register(AdminRoutes admin, RoutesConfig r) {
        admin.get(r, "/admin/codes", (ctx, a) -> page(admin, ctx, a, null, null, List.of()));
        admin.post(r, "/admin/codes/{code}/disable", Role.Permission.CODES, (ctx, a) -> active(ctx, a, false));
        admin.post(r, "/admin/codes/{code}/enable", Role.Permission.CODES, (ctx, a) -> active(ctx, a, true));
        admin.get(r, "/admin/codes/export", this::export);
        admin.post(r, "/admin/codes/publish", Role.Permission.CODES, (ctx, a) -> {
            String campaign = required(ctx, "campaign");
            String customer = ctx.formParam("customer") == null ? "" : ctx.formParam("customer").trim();
            if (!Checks.ID.matcher(customer).matches())
                throw Failure.invalid("customer", "must be a customer id: 1-128 characters without spaces, '/', '?' or '#'");
            Publications.Published p = publications.publish(a.requireProject(), a.actor(), campaign, customer, null,
                    true, a.now());
            String notice = (p.reused() ? "Customer " + customer + " already holds " : "Published ") + p.code()
                    + (p.reused() ? "." : " to customer " + customer + ".");
            ctx.redirect("/admin/codes?campaign=" + enc(campaign) + "&customer=" + enc(customer) + "&notice="
                    + enc(notice), HttpStatus.SEE_OTHER);
        });
        admin.post(r, "/admin/codes/import", Role.Permission.CODES, (ctx, a) -> {
            String campaign = required(ctx, "campaign");
            UploadedFile file = ctx.uploadedFile("file");
            if (file == null || file.size() == 0) throw Failure.invalid("file", "choose a CSV file: one code a line");
            byte[] csv;
            try (var in = file.content()) {
                csv = in.readAllBytes();
            }
            ImportResult result = codes.importCsv(a.requireProject(), a.actor(), campaign, csv, a.now());
            List<String> details = new ArrayList<>();
            if (result.duplicateCount() > 0)
                details.add("Already there or repeated: " + String.join(", ", result.duplicates())
                        + (result.duplicateCount() > result.duplicates().size() ? ", …" : ""));
            for (var bad : result.invalid()) details.add("Line " + bad.get("line") + " (" + bad.get("value") + "): "
                    + bad.get("reason"));
            page(admin, ctx, a, campaign, String.format(Locale.ENGLISH, "Imported %,d codes; %,d not imported "
                    + "(already there or repeated), %,d invalid lines.", result.imported(), result.duplicateCount(),
                    result.invalidCount()), details);
        });
        admin.post(r, "/admin/codes/generate", Role.Permission.CODES, (ctx, a) -> {
            String campaign = required(ctx, "campaign");
            long count;
            try {
                count = Long.parseLong(required(ctx, "count").replace(",", "").trim());
            } catch (NumberFormatException e) {
                throw Failure.invalid("count", "must be a whole number");
            }
            if (count < 1 || count > GenerationJobs.MAX_COUNT)
                throw Failure.invalid("count", String.format(Locale.ENGLISH, "must be 1 to %,d", GenerationJobs.MAX_COUNT));
            GenerationJob job = codes.generate(a.requireProject(), a.actor(), campaign,
                    new CodeService.Generate(count, null, null, null, null), Input.of(Json.MAPPER.createObjectNode()),
                    a.now());
            ctx.redirect("/admin/codes?campaign=" + enc(campaign) + "&job=" + enc(job.id()), HttpStatus.SEE_OTHER);
        });
        admin.get(r, "/admin/jobs/{id}", (ctx, a) -> ctx.html(admin.fragment("codeJob",
                params("job", Progress.of(codes.job(a.requireProject(), ctx.pathParam("id")))))));
    }

    private void page(AdminRoutes admin, Context ctx, AdminRoutes.Admin a, String chosen, String notice,
                      List<String> details) {
        List<String> names = new ArrayList<>();
        List<String> unique = new ArrayList<>();
        if (a.project() != null) {
            for (Campaign c : AdminRoutes.all(page -> campaigns.list(a.project(), false, page), 10_000)) {
                if (c.codes() == null) continue;
                names.add(c.name());
                if (c.codes().unique()) unique.add(c.name());
            }
        }
        String campaign = chosen != null ? chosen : ctx.queryParam("campaign");
        if (campaign == null || !names.contains(campaign)) campaign = names.isEmpty() ? null : names.get(0);
        String q = trimmed(ctx.queryParam("q"));
        String customer = trimmed(ctx.queryParam("customer"));
        String asked = ctx.queryParam("status");
        String status = asked != null && CodeStore.Filter.STATUSES.contains(asked) ? asked : "all";
        List<CodeView> found = List.of();
        boolean more = false;
        String exportUrl = null;
        Progress job = null;
        if (campaign != null) {
            Page<CodeView> page = codes.list(a.project(), campaign, filter(status, q, customer),
                    new Page.Request(SHOWN, null));
            found = page.data();
            more = page.nextCursor() != null;
            exportUrl = "/admin/codes/export?campaign=" + enc(campaign) + "&q=" + enc(q) + "&customer=" + enc(customer)
                    + "&status=" + enc(status);
            String jobId = ctx.queryParam("job");
            if (jobId != null) job = Progress.of(codes.job(a.project(), jobId));
        }
        if (notice == null) notice = ctx.queryParam("notice");
        List<String> statuses = new ArrayList<>(List.of("all"));
        statuses.addAll(CodeStore.Filter.STATUSES);
        admin.page(ctx, "codes", params("frame", a.frame().page("Codes", "codes"),
                "view", new View(names, unique, campaign, q, customer, status, statuses, found, more, exportUrl, notice,
                        details, job)));
    }

    private static CodeStore.Filter filter(String status, String q, String customer) {
        return new CodeStore.Filter(status.equals("all") ? null : status, q.isEmpty() ? null : q.toUpperCase(Locale.ROOT),
                customer.isEmpty() ? null : customer);
    }

    /** The campaign's codes as CSV (the API's export), streamed from a database cursor. */
    private void export(Context ctx, AdminRoutes.Admin a) throws java.io.IOException {
        String campaign = required(ctx, "campaign");
        String asked = ctx.queryParam("status");
        String status = asked != null && CodeStore.Filter.STATUSES.contains(asked) ? asked : "all";
        CodeStore.Filter filter = filter(status, trimmed(ctx.queryParam("q")), trimmed(ctx.queryParam("customer")));
        codes.list(a.requireProject(), campaign, filter, new Page.Request(1, null)); // refused before streaming
        ctx.status(200).contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"" + campaign + "-codes.csv\"");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16)) {
            codes.exportCsv(a.project(), campaign, filter, w);
        }
    }

    private void active(Context ctx, AdminRoutes.Admin a, boolean active) {
        CodeView c = codes.setActive(a.requireProject(), a.actor(), ctx.pathParam("code"), active, a.now());
        String q = ctx.formParam("q") == null ? "" : ctx.formParam("q");
        ctx.redirect("/admin/codes?campaign=" + enc(c.campaign()) + "&q=" + enc(q), HttpStatus.SEE_OTHER);
    }

    /** A form or query field that must be there. */
    private static String required(Context ctx, String name) {
        String v = "GET".equals(ctx.method().name()) ? ctx.queryParam(name) : ctx.formParam(name);
        if (v == null || v.isBlank()) throw Failure.invalid(name, "is required");
        return v.trim();
    }

    private static String trimmed(String s) {
        return s == null ? "" : s.trim();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
