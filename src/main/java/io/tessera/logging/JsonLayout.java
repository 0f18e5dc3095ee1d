package io.tessera.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line: {@code timestamp} (ISO-8601 UTC), {@code level}, {@code logger}, {@code thread},
 * {@code message}, then the MDC ({@code requestId}, {@code projectId}, {@code keyId} while a request is handled), the
 * event's key-value pairs (the access log's {@code method}, {@code status}, ...) and {@code exception} (the stack
 * trace as one string) when there is one.
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String doLayout(ILoggingEvent event) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("timestamp", event.getInstant().toString());
            json.writeStringField("level", event.getLevel().toString());
            json.writeStringField("logger", event.getLoggerName());
            json.writeStringField("thread", event.getThreadName());
            json.writeStringField("message", event.getFormattedMessage());
            for (Map.Entry<String, String> e : event.getMDCPropertyMap().entrySet())
                json.writeStringField(e.getKey(), e.getValue());
            if (event.getKeyValuePairs() != null)
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    if (kv.value instanceof Number n) json.writeNumberField(kv.key, n.longValue());
                    else json.writeStringField(kv.key, kv.value == null ? null : kv.value.toString());
                }
            if (event.getThrowableProxy() != null)
                json.writeStringField("exception", ThrowableProxyUtil.asString(event.getThrowableProxy()));
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(CoreConstants.LINE_SEPARATOR).toString();
    }
}
