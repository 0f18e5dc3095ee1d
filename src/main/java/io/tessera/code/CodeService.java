package io.tessera.code;

import io.tessera.campaign.CodePattern;
import io.tessera.audit.AuditLog;
import io.tessera.campaign.Campaign;
import io.tessera.campaign.CampaignCodes;
import io.tessera.campaign.CampaignParser;
import io.tessera.campaign.CampaignService;
import io.tessera.core.Actor;
import io.tessera.core.Failure;
import io.tessera.core.Page;
import io.tessera.core.ProjectContext;
import io.tessera.db.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * Codes of campaigns: the codes a campaign starts with, generation jobs, imports, listings, and (de)activating a code —
 * each change with its audit entry. Codes made by a job are covered by the job's entry, not one each.
 */
public final class CodeService implements CampaignCodes {
    private final Database db;
    private final CampaignService campaigns;
    private final CodeStore codes;
    private final JobStore jobs;
    private final GenerationJobs generation;
    private final AuditLog audit;

    public CodeService(Database db, CampaignService campaigns, CodeStore codes, JobStore jobs,
                       GenerationJobs generation, AuditLog audit) {
        this.db = db;
        this.campaigns = campaigns;
        this.codes = codes;
        this.jobs = jobs;
        this.generation = generation;
        this.audit = audit;
    }

    /** A campaign's universal code, or its first {@code codes.count} unique codes (covered by the campaign's entry). */
    @Override
    public Runnable created(DSLContext tx, ProjectContext p, Campaign c, Instant now) {
        CampaignParser.CodeSetup setup = c.codes();
        if (setup == null) return null;
        if (!setup.unique()) {
            codes.insertUniversal(tx, p.id(), c.id(), setup.code(), now);
            return null;
        }
        if (setup.count() == 0) return null;
        // The job is written with the campaign and runs once it committed (inline when small).
        GenerationJobs.Started started = generation.enqueue(tx, p.id(), c.id(), pattern(setup), setup.count(), false, now);
        return () -> generation.start(started);
    }

    /** What a generation request asks for: a count, and optionally another pattern than the campaign's. */
    public record Generate(long count, String pattern, String charset, String prefix, String suffix) {
    }

    /** Starts a job making {@code count} more unique codes; small jobs are done when this returns. */
    public GenerationJob generate(ProjectContext p, Actor actor, String campaignName, Generate g,
                                  io.tessera.core.Input in, Instant now) {
        Campaign c = campaigns.get(p, campaignName);
        CampaignParser.CodeSetup setup = c.uniqueCodes();
        boolean patternGiven = g.pattern() != null || g.prefix() != null || g.suffix() != null;
        String pattern = g.pattern() == null ? setup.pattern() : g.pattern();
        String charset = g.charset() == null ? setup.charset() : g.charset();
        String full = (g.prefix() == null ? "" : g.prefix()) + pattern + (g.suffix() == null ? "" : g.suffix());
        CodePattern cp = CodePattern.check(in, full, charset);
        in.check();
        GenerationJobs.Started started = db.transaction(tx -> {
            GenerationJobs.Started s = generation.enqueue(tx, p.id(), c.id(), cp, g.count(), patternGiven, now);
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("job", s.jobId());
            after.put("count", g.count());
            after.put("pattern", cp.pattern());
            audit.record(tx, p, actor, "code.generated", CampaignService.resource(c.name()), null, after, now);
            return s;
        });
        return generation.start(started);
    }

    public GenerationJob job(ProjectContext p, String id) {
        return jobs.find(p.id(), id).orElseThrow(() -> Failure.notFound("job " + id));
    }

    /**
     * Imports codes from CSV (one code a line, optional header {@code code}; an export can be imported again) into a
     * campaign with unique codes, in one transaction with its audit entry.
     */
    public ImportResult importCsv(ProjectContext p, Actor actor, String campaignName, byte[] csv, Instant now) {
        Campaign c = campaigns.get(p, campaignName);
        Csv.Parsed parsed = Csv.codes(csv);
        c.uniqueCodes();
        if (parsed.codes().isEmpty() && parsed.invalid().isEmpty())
            throw Failure.invalid("body", "holds no codes: send one code a line");
        return db.transaction(tx -> {
            boolean[] landed = parsed.codes().isEmpty() ? new boolean[0]
                    : codes.importCodes(tx, p.id(), c.id(), parsed.codes(), now);
            long imported = 0;
            List<String> duplicates = new ArrayList<>(parsed.repeated());
            for (int i = 0; i < landed.length; i++) {
                if (landed[i]) imported++;
                else duplicates.add(parsed.codes().get(i));
            }
            ImportResult result = new ImportResult(imported, duplicates.subList(0, Math.min(100, duplicates.size())),
                    duplicates.size(), parsed.invalid().subList(0, Math.min(100, parsed.invalid().size())),
                    parsed.invalid().size());
            if (imported > 0) {
                audit.record(tx, p, actor, "code.imported", CampaignService.resource(c.name()), null,
                        Map.of("imported", imported, "duplicates", result.duplicateCount(),
                                "invalid", result.invalidCount()), now);
            }
            return result;
        });
    }

    public CodeView get(ProjectContext p, String code) {
        return codes.describe(p.id(), code).map(CodeView::of).orElseThrow(() -> Failure.notFound("code " + code));
    }

    /** Enables or disables one code (audited as {@code code.updated}). */
    public CodeView setActive(ProjectContext p, Actor actor, String code, boolean active, Instant now) {
        return db.transaction(tx -> {
            CodeView before = codes.describe(tx, p.id(), code).map(CodeView::of)
                    .orElseThrow(() -> Failure.notFound("code " + code));
            codes.setActive(tx, p.id(), code, active);
            CodeView after = codes.describe(tx, p.id(), code).map(CodeView::of).orElseThrow();
            audit.record(tx, p, actor, "code.updated", "code/" + code, before, after, now);
            return after;
        });
    }

    public Page<CodeView> list(ProjectContext p, String campaignName, CodeStore.Filter filter, Page.Request page) {
        Campaign c = campaigns.get(p, campaignName);
        if (page.cursor() != null && !CampaignParser.CODE.matcher(page.cursor()).matches())
            throw Failure.invalid("cursor", "is not a cursor returned by this list");
        return Page.of(codes.list(c.id(), c.name(), filter, page.cursor(), page.limit() + 1), page.limit(),
                CodeView::of, d -> d.row().code());
    }

    /**
     * Writes every code of the campaign that passes {@code filter} as CSV to {@code out}, straight from a database
     * cursor: memory stays flat for millions of codes. An unknown campaign throws before anything is written.
     */
    public void exportCsv(ProjectContext p, String campaignName, CodeStore.Filter filter, Writer out) {
        Campaign c = campaigns.get(p, campaignName);
        try {
            out.write(Csv.CODES_HEADER);
            out.write('\n');
            codes.stream(c.id(), c.name(), filter, d -> {
                try {
                    Csv.writeCode(out, d);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CodePattern pattern(CampaignParser.CodeSetup setup) {
        return CodePattern.of(setup.pattern(), setup.charset());
    }
}
