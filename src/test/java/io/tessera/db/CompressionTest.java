package io.tessera.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.testing.TestDatabases;
import org.junit.jupiter.api.Test;

/** V29: redemptions' stored answers are compressed with lz4 where PostgreSQL has it (see the migration for why). */
class CompressionTest extends ServerPerDatabase {
    @Test
    void aRedemptionsStoredAnswerIsCompressedWithLz4() {
        assumeTrue(database.equals(TestDatabases.POSTGRES), "a PostgreSQL storage setting");
        Database db = server.app().database();
        boolean lz4 = db.dsl().fetchOne("select 1 from pg_settings where name = 'default_toast_compression' "
                + "and 'lz4' = any(enumvals)") != null;
        assumeTrue(lz4, "this PostgreSQL was built without lz4");
        Object method = db.dsl().fetchValue("select a.attcompression::text from pg_attribute a "
                + "where a.attrelid = 'redemptions'::regclass and a.attname = 'response'");
        assertThat(method).isEqualTo("l");
    }
}
