package io.tessera.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A text line: ISO-8601 local time with its offset to the millisecond, {@code [thread]}, level, the logger's simple
 * name, {@code [requestId]} while a request is handled, {@code - } and the message; then the stack trace, if any.
 *
 * <p>Written by hand rather than as a Logback pattern: the access log writes a line per request, and the pattern's
 * date (formatted whole for each new millisecond), {@code %replace} (a regular expression) and logger abbreviation
 * cost 4 % of the server's CPU on a redemption (a flight recording under load, docs/performance.md). Here the date up
 * to the second is formatted once a second.
 */
public final class TextLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("XXX");
    private final ZoneId zone;
    /** The last second formatted: read and replaced whole, so threads never see half of one. */
    private volatile Second last = new Second(Long.MIN_VALUE, "", "");

    private record Second(long epochSecond, String date, String offset) {
    }

    public TextLayout() {
        this(ZoneId.systemDefault());
    }

    TextLayout(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        long millis = event.getTimeStamp();
        Second s = second(Math.floorDiv(millis, 1000));
        StringBuilder line = new StringBuilder(160).append(s.date).append('.');
        int ms = (int) Math.floorMod(millis, 1000);
        if (ms < 100) line.append('0');
        if (ms < 10) line.append('0');
        line.append(ms).append(s.offset).append(" [").append(event.getThreadName()).append("] ")
                .append(event.getLevel()).append(' ');
        String logger = event.getLoggerName();
        line.append(logger, logger.lastIndexOf('.') + 1, logger.length());
        String requestId = event.getMDCPropertyMap().get(LogSetup.REQUEST_ID);
        if (requestId != null && !requestId.isEmpty()) line.append(" [").append(requestId).append(']');
        line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        if (event.getThrowableProxy() != null) line.append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
        return line.toString();
    }

    private Second second(long epochSecond) {
        Second s = last;
        if (s.epochSecond == epochSecond) return s;
        ZonedDateTime t = Instant.ofEpochSecond(epochSecond).atZone(zone);
        s = new Second(epochSecond, SECOND.format(t), OFFSET.format(t));
        last = s;
        return s;
    }
}
