package io.tessera.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The logging as the settings make it (the formats themselves are checked on the real server: LogFormatTest). */
class LogSetupTest {

    @Test
    void theAccessLogIsOnUnlessTurnedOffAndJettyChatterIsLeftOut() {
        LoggerContext on = new LoggerContext();
        LogSetup.configure(on, Map.of());
        assertThat(on.getLogger(LogSetup.ACCESS).isInfoEnabled()).isTrue();
        assertThat(on.getLogger("io.tessera.Application").isInfoEnabled()).isTrue();
        assertThat(on.getLogger("io.tessera.Application").isDebugEnabled()).isFalse();
        assertThat(on.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isFalse();
        LoggerContext off = new LoggerContext();
        LogSetup.configure(off, Map.of("TESSERA_ACCESS_LOG", "false"));
        assertThat(off.getLogger(LogSetup.ACCESS).isInfoEnabled()).isFalse();
        assertThat(off.getLogger("io.tessera.Application").isInfoEnabled()).isTrue();
    }
}
