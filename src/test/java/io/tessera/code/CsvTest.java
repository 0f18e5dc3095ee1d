package io.tessera.code;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Export cells: RFC 4180 quoting, and formula triggers neutralised as OWASP advises. */
class CsvTest {

    @Test
    void everyFormulaTriggerIsPrefixedWithAQuoteAndTheCellQuoted() {
        assertThat(Csv.field("=HYPERLINK(\"x\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(Csv.field("+1")).isEqualTo("\"'+1\"");
        assertThat(Csv.field("-1")).isEqualTo("\"'-1\"");
        assertThat(Csv.field("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
        assertThat(Csv.field("\t=1")).isEqualTo("\"'\t=1\"");
        assertThat(Csv.field("\r=1")).isEqualTo("\"'\r=1\"");
    }

    @Test
    void ordinaryCellsAreLeftAloneOrQuotedOnlyForSeparators() {
        assertThat(Csv.field("c-1")).isEqualTo("c-1");
        assertThat(Csv.field("a=b")).isEqualTo("a=b");
        assertThat(Csv.field("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.field(null)).isEmpty();
        assertThat(Csv.field("")).isEmpty();
    }
}
