package io.tessera.code;

import static io.tessera.db.Sql.ts;

import io.tessera.db.Database;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.jooq.DSLContext;
import org.postgresql.PGConnection;

/**
 * Inserts many codes at once, skipping any that the project already has (the primary key is (project, code), and
 * {@code on conflict do nothing} makes a collision with an existing code, or with a concurrent job's, a skip instead
 * of an error). On PostgreSQL the codes are streamed with COPY into a session-local staging table and moved with one
 * {@code insert ... select}; on H2, a JDBC batch. The campaign's code count ({@link CodeCounts}) grows with them.
 */
public final class BulkCodes {
    private static final String INSERT_VALUES = "insert into codes (project_id, code, campaign_id, is_unique, active, "
            + "redemptions, created_at) values (?, ?, ?, ?, true, 0, ?) on conflict do nothing";
    private final boolean postgres;

    public BulkCodes(Database db) {
        this.postgres = db.postgres();
    }

    /**
     * Inserts distinct {@code codes} (best sorted: sorted keys touch each index page once instead of at random) for
     * the campaign within {@code tx}; returns how many were new. The caller draws again for the shortfall.
     */
    public int insertNew(DSLContext tx, String projectId, String campaignId, List<String> codes, Instant now) {
        return insertNew(tx, projectId, campaignId, codes, now, false);
    }

    /**
     * As {@link #insertNew(DSLContext, String, String, List, Instant)}; when {@code optimistic}, PostgreSQL first tries
     * a plain insert (a fifth faster than one that checks each row for a conflict) and, if a code was taken after all,
     * undoes it to a savepoint and inserts again skipping conflicts. Worth it while collisions are rare: a caller
     * that gets back fewer than it sent should stop being optimistic.
     */
    public int insertNew(DSLContext tx, String projectId, String campaignId, List<String> codes, Instant now,
                         boolean optimistic) {
        if (codes.isEmpty()) return 0;
        int landed = tx.connectionResult(c -> postgres ? copy(c, projectId, campaignId, codes, now, optimistic)
                : sum(batch(c, projectId, campaignId, codes, true, now)));
        CodeCounts.add(tx, projectId, campaignId, landed, 0);
        return landed;
    }

    /** Inserts each code (one statement per code in a batch) and tells, per code, whether it was new. */
    public boolean[] insertEach(DSLContext tx, String projectId, String campaignId, List<String> codes, Instant now) {
        if (codes.isEmpty()) return new boolean[0];
        int[] counts = tx.connectionResult(c -> batch(c, projectId, campaignId, codes, true, now));
        boolean[] landed = new boolean[counts.length];
        for (int i = 0; i < counts.length; i++) landed[i] = counts[i] > 0;
        CodeCounts.add(tx, projectId, campaignId, sum(counts), 0);
        return landed;
    }

    private static int copy(Connection c, String projectId, String campaignId, List<String> codes, Instant now,
                            boolean optimistic) throws SQLException {
        try (Statement st = c.createStatement()) {
            // Temporary tables live per connection and are never logged; the rows go at commit.
            st.execute("create temporary table if not exists code_staging (code varchar(64) not null) "
                    + "on commit delete rows");
            st.execute("truncate code_staging");
        }
        int size = 0;
        for (String code : codes) size += code.length() + 1;
        byte[] text = new byte[size];
        int pos = 0;
        for (String code : codes) {
            // Codes are ASCII letters, digits, '-' and '_': nothing in COPY's text format needs escaping.
            for (int i = 0; i < code.length(); i++) text[pos++] = (byte) code.charAt(i);
            text[pos++] = '\n';
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("copy code_staging (code) from stdin", new ByteArrayInputStream(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The staging table is read in the order COPY wrote it, which is the sorted order of the list.
        String move = "insert into codes (project_id, code, campaign_id, is_unique, active, redemptions, created_at) "
                + "select ?, code, ?, true, true, 0, ? from code_staging";
        if (optimistic) {
            Savepoint before = c.setSavepoint();
            try {
                int n = move(c, move, projectId, campaignId, now);
                c.releaseSavepoint(before);
                return n;
            } catch (SQLException e) {
                if (!Database.isUniqueViolation(e)) throw e;
                c.rollback(before);
            }
        }
        return move(c, move + " on conflict do nothing", projectId, campaignId, now);
    }

    private static int move(Connection c, String sql, String projectId, String campaignId, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, projectId);
            ps.setString(2, campaignId);
            ps.setObject(3, ts(now));
            return ps.executeUpdate();
        }
    }

    private static int[] batch(Connection c, String projectId, String campaignId, List<String> codes, boolean unique,
                               Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_VALUES)) {
            var at = ts(now);
            for (String code : codes) {
                ps.setString(1, projectId);
                ps.setString(2, code);
                ps.setString(3, campaignId);
                ps.setBoolean(4, unique);
                ps.setObject(5, at);
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int c : counts) n += Math.max(c, 0);
        return n;
    }
}
