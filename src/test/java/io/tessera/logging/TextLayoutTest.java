package io.tessera.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text line written by hand is the line Logback's pattern for it writes, byte for byte. */
class TextLayoutTest {
    private final LoggerContext context = new LoggerContext();

    @Test
    void writesWhatThePatternWritesInAnyZoneWithAndWithoutRequestAndException() {
        for (String zone : new String[] {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata"}) {
            TextLayout layout = new TextLayout(ZoneId.of(zone));
            PatternLayout pattern = pattern(zone);
            // A millisecond under 10 and under 100, a second boundary, and one far back (no cache to reuse).
            for (long at : new long[] {1_764_633_600_005L, 1_764_633_600_042L, 1_764_633_599_999L, 1_764_633_601_000L,
                    946_684_800_123L, 1_764_633_601_987L}) {
                for (Map<String, String> mdc : java.util.List.of(Map.<String, String>of(),
                        Map.of(LogSetup.REQUEST_ID, "r-1"), Map.of(LogSetup.REQUEST_ID, ""))) {
                    for (Throwable thrown : new Throwable[] {null, new IllegalStateException("boom",
                            new RuntimeException("cause"))}) {
                        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.tessera.access"), Level.INFO,
                                "GET {} 200", thrown, new Object[] {"/v1/campaigns"});
                        event.setTimeStamp(at);
                        event.setThreadName("JettyServerThreadPool-Virtual-7");
                        event.setMDCPropertyMap(mdc);
                        assertThat(layout.doLayout(event)).as(zone + " " + at + " " + mdc + " " + thrown)
                                .isEqualTo(pattern.doLayout(event));
                    }
                }
            }
        }
    }

    @Test
    void aLoggerWithoutPackageIsNamedWhole() {
        LoggingEvent event = new LoggingEvent("x", context.getLogger("plain"), Level.WARN, "m", null, null);
        event.setThreadName("main");
        event.setMDCPropertyMap(Map.of());
        assertThat(new TextLayout(ZoneId.of("UTC")).doLayout(event)).isEqualTo(pattern("UTC").doLayout(event))
                .contains(" [main] WARN plain - m");
    }

    /** The pattern the server used before {@link TextLayout}, in {@code zone}. */
    private PatternLayout pattern(String zone) {
        PatternLayout p = new PatternLayout();
        p.setContext(context);
        p.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, " + zone + "} [%thread] %level %logger{0}"
                + "%replace( [%X{" + LogSetup.REQUEST_ID + "}]){' \\[\\]', ''} - %msg%n");
        p.start();
        return p;
    }
}
