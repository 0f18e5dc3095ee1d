package io.tessera.code;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tessera.campaign.CampaignParser;
import java.util.HashSet;

/**
 * The codes CSV of an import ({@link Csv#codes}): any bytes give valid, distinct, upper-case codes plus the lines it
 * could not use (each with its line number), never an exception. Seeds and past findings:
 * {@code src/test/resources/io/tessera/code/CsvImportFuzzTestInputs}.
 */
class CsvImportFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyFileIsCodesAndInvalidLines(byte[] file) {
        Csv.Parsed parsed = Csv.codes(file);
        assertThat(parsed.codes()).allMatch(c -> CampaignParser.CODE.matcher(c).matches() && c.equals(c.toUpperCase()));
        assertThat(new HashSet<>(parsed.codes())).hasSameSizeAs(parsed.codes());
        assertThat(parsed.codes()).containsAll(parsed.repeated());
        long lines = new String(file, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1).length;
        assertThat(parsed.invalid()).allSatisfy(bad -> assertThat((Integer) bad.get("line")).isBetween(1, (int) lines));
    }
}
