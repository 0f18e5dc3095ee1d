package io.tessera.loyalty;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.campaign.CampaignParser;
import io.tessera.core.Failure;
import io.tessera.core.Input;
import io.tessera.core.Json;
import io.tessera.db.Database;
import io.tessera.db.Sql;
import io.tessera.discount.Promotion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The project's loyalty programs (its LOYALTY campaigns), read from the campaign rows on every use so a change made on
 * any node counts at once; each definition is compiled once (cached by its text).
 */
final class Programs {
    private static final int MAX_COMPILED = 4096;
    private final Database db;
    private final CampaignParser parser;
    private final ConcurrentHashMap<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(String definition, boolean archived, Program program) {
    }

    Programs(Database db, CampaignParser parser) {
        this.db = db;
        this.parser = parser;
    }

    /** The program named {@code name} (archived ones too: their members keep their history); 404 otherwise. */
    Program get(String projectId, String name) {
        return get(db.dsl(), projectId, name);
    }

    /** The same, read within {@code dsl} (a transaction that must not wait for a second connection). */
    Program get(DSLContext dsl, String projectId, String name) {
        Record r = dsl.fetchOptional("select id, seq, name, archived, definition from campaigns "
                + "where project_id = ? and name = ? and type = 'LOYALTY'", projectId, name).orElse(null);
        if (r == null) throw Failure.notFound("loyalty program " + name);
        return program(r);
    }

    /** The programs that may earn, within {@code tx}. */
    List<Program> earning(DSLContext tx, String projectId, Instant now) {
        List<Program> out = new ArrayList<>();
        for (Record r : tx.fetch("select id, seq, name, archived, definition from campaigns where project_id = ? "
                + "and type = 'LOYALTY' and archived = false and active = true order by seq", projectId)) {
            Program p = program(r);
            if (p.earnsAt(now)) out.add(p);
        }
        return out;
    }

    /** Every program of the project, archived and inactive ones too (their earnings are still reversed). */
    List<Program> all(DSLContext tx, String projectId) {
        List<Program> out = new ArrayList<>();
        for (Record r : tx.fetch("select id, seq, name, archived, definition from campaigns where project_id = ? "
                + "and type = 'LOYALTY' order by seq", projectId)) out.add(program(r));
        return out;
    }

    /** The program of a campaign row with {@code id, seq, name, archived, definition}. */
    Program program(Record r) {
        String id = r.get("id", String.class);
        String text = r.get("definition", String.class);
        boolean archived = r.get("archived", Boolean.class);
        Compiled known = compiled.get(id);
        if (known != null && known.archived() == archived && known.definition().equals(text)) return known.program();
        CampaignParser.Parsed parsed = parser.parse(Input.of((ObjectNode) Json.parse(text)), id,
                Sql.longValue(r.get("seq")));
        if (parsed == null || parsed.loyalty() == null) {
            // Saved definitions were validated; only a rule changed incompatibly between versions gets here.
            throw new IllegalStateException("loyalty program " + r.get("name", String.class) + " no longer validates");
        }
        Promotion p = parsed.promotion();
        Program program = new Program(id, p.name(), p.active(), archived, p.startsAt(), p.endsAt(), parsed.loyalty());
        if (compiled.size() >= MAX_COMPILED) compiled.clear();
        compiled.put(id, new Compiled(text, archived, program));
        return program;
    }
}
