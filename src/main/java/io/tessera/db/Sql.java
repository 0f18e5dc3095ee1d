package io.tessera.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;

/** Small conversions shared by the stores. */
public final class Sql {
    private Sql() {
    }

    /** {@code ?, ?, ?}: the placeholders of {@code n} parameters. */
    public static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    public static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(Record r, String column) {
        OffsetDateTime t = r.get(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static long longValue(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    /**
     * A row's columns by name, read the same way from a jOOQ record or a JDBC result set (a {@link Pipeline} query's),
     * so that a store maps its rows in one place whichever way they were read.
     */
    public interface Columns {
        String string(String column);

        Boolean bool(String column);

        /** 0 for null, as {@link #longValue(Object)}. */
        long longValue(String column);

        Instant instant(String column);

        static Columns of(Record r) {
            return new Columns() {
                public String string(String column) {
                    return r.get(column, String.class);
                }

                public Boolean bool(String column) {
                    return r.get(column, Boolean.class);
                }

                public long longValue(String column) {
                    return Sql.longValue(r.get(column));
                }

                public Instant instant(String column) {
                    return Sql.instant(r, column);
                }
            };
        }

        /** The current row of {@code rs}. */
        static Columns of(ResultSet rs) {
            return new Columns() {
                public String string(String column) {
                    return read(column, () -> rs.getString(column));
                }

                public Boolean bool(String column) {
                    return read(column, () -> {
                        boolean b = rs.getBoolean(column);
                        return rs.wasNull() ? null : b;
                    });
                }

                public long longValue(String column) {
                    return read(column, () -> rs.getLong(column));
                }

                public Instant instant(String column) {
                    OffsetDateTime t = read(column, () -> rs.getObject(column, OffsetDateTime.class));
                    return t == null ? null : t.toInstant();
                }
            };
        }
    }

    private interface Getter<T> {
        T get() throws SQLException;
    }

    /** A column read off a JDBC row, its failure unchecked like jOOQ's. */
    private static <T> T read(String column, Getter<T> getter) {
        try {
            return getter.get();
        } catch (SQLException e) {
            throw new DataAccessException("could not read column " + column + ": " + e.getMessage(), e);
        }
    }
}
