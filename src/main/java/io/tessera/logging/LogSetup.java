package io.tessera.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.tessera.config.Config;
import java.util.Map;

/**
 * The logging, set up in code from {@code TESSERA_LOG_FORMAT} and {@code TESSERA_ACCESS_LOG} (Logback finds this
 * class through {@code META-INF/services}; no logback.xml): everything to standard error at info, one line per
 * event, as readable text or as JSON. Jetty's start/stop chatter is left out below warn.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The logger of the access log, one line per HTTP request. */
    public static final String ACCESS = "io.tessera.access";
    /** The MDC key of the request id, on every line logged while a request is handled. */
    public static final String REQUEST_ID = "requestId";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        configure(context, System.getenv());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    static void configure(LoggerContext context, Map<String, String> env) {
        String format;
        try {
            format = Config.logFormat(env);
        } catch (IllegalArgumentException e) {
            format = "text"; // the start refuses the value with one line (Config.fromEnvironment)
        }
        Layout<ILoggingEvent> layout = format.equals("json") ? new JsonLayout() : new TextLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        root.addAppender(stderr);
        root.setLevel(Level.INFO);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        context.getLogger(ACCESS).setLevel(Config.accessLog(env) ? Level.INFO : Level.OFF);
    }
}
