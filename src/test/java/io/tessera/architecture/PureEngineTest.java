package io.tessera.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine is a pure core: {@code discount} and {@code rule} know nothing of HTTP, SQL or the rest of the server,
 * so that they can be tested and benchmarked as functions of their inputs.
 */
class PureEngineTest {
    private static final Path SOURCES = Path.of("src/main/java/io/tessera");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);
    private static final List<String> ALLOWED = List.of("java.", "io.tessera.discount.", "io.tessera.rule.", "dev.cel.",
            "com.google.protobuf.", "com.google.common.");

    @Test
    void discountAndRuleImportOnlyTheJdkCelAndEachOther() throws IOException {
        List<String> offending = new ArrayList<>();
        int read = 0;
        for (String pkg : List.of("discount", "rule")) {
            try (Stream<Path> files = Files.walk(SOURCES.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    read++;
                    Matcher m = IMPORT.matcher(Files.readString(f));
                    while (m.find()) {
                        String imported = m.group(1);
                        if (ALLOWED.stream().noneMatch(imported::startsWith)) offending.add(f.getFileName() + ": " + imported);
                    }
                }
            }
        }
        assertThat(read).as("engine sources read").isGreaterThan(20);
        assertThat(offending).as("imports that break the pure engine").isEmpty();
    }
}
