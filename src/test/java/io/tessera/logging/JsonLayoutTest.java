package io.tessera.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** A JSON log line: one object, the request's MDC as fields, the exception as one string. */
class JsonLayoutTest {

    @Test
    void anEventWithMdcPairsAndAnExceptionIsOneParseableLine() throws Exception {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.tessera.Some"), Level.ERROR,
                "failed on \"{}\"\nsecond line", new IllegalStateException("boom"), new Object[] {"a"});
        event.setMDCPropertyMap(Map.of(LogSetup.REQUEST_ID, "r-1"));
        event.addKeyValuePair(new KeyValuePair("status", 500));
        JsonLayout layout = new JsonLayout();
        layout.setContext(context);
        layout.start();
        String line = layout.doLayout(event);
        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = Json.MAPPER.readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("ERROR");
        assertThat(json.get("logger").asText()).isEqualTo("io.tessera.Some");
        assertThat(json.get("message").asText()).isEqualTo("failed on \"a\"\nsecond line");
        assertThat(json.get("requestId").asText()).isEqualTo("r-1");
        assertThat(json.get("status").asInt()).isEqualTo(500);
        assertThat(json.get("exception").asText()).startsWith("java.lang.IllegalStateException: boom");
        assertThat(java.time.Instant.parse(json.get("timestamp").asText())).isNotNull();
    }
}
