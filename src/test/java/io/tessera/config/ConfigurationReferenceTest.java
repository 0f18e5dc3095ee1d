package io.tessera.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration table says what {@link Config.Setting} declares; secrets may come from files. */
class ConfigurationReferenceTest {

    /** A README table row as {@code Config.Setting} would write it (markdown formatting aside). */
    private static String row(Config.Setting s) {
        return "| `" + s.variable() + "` | " + s.shownDefault() + " | " + s.meaning() + " |";
    }

    /** Without markdown: code spans and links become their text, so the README may format what the code says. */
    private static String plain(String cell) {
        return cell.replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").replace("`", "").trim();
    }

    @Test
    void theReadmeConfigurationTableListsEverySettingWithItsDeclaredDefaultAndMeaning() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int heading = lines.indexOf("## Configuration");
        assertThat(heading).as("README.md has a '## Configuration' section").isNotNegative();
        Map<String, List<String>> documented = new LinkedHashMap<>();
        for (String line : lines.subList(heading + 1, lines.size())) {
            if (line.startsWith("## ")) break;
            if (!line.startsWith("| `TESSERA_")) continue;
            String[] cells = line.substring(1, line.length() - 1).split(" \\| ", -1);
            documented.put(plain(cells[0]), Arrays.stream(cells).skip(1).map(ConfigurationReferenceTest::plain).toList());
        }
        List<String> wrong = new ArrayList<>();
        for (Config.Setting s : Config.Setting.values()) {
            List<String> found = documented.remove(s.variable());
            if (!List.of(s.shownDefault(), s.meaning()).equals(found))
                wrong.add((found == null ? "missing:    " : "differs:    ") + row(s));
        }
        documented.keySet().forEach(v -> wrong.add("undeclared: " + v + " (declare it in Config.Setting or remove its row)"));
        assertThat(wrong).as("README.md's configuration table must say what Config.Setting declares (code spans "
                + "and links aside). Fix the README row (or the declaration) so that it reads:\n"
                + String.join("\n", wrong) + "\n").isEmpty();
    }

    @Test
    void aSecretComesFromItsFileLessTheTrailingLineBreak(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("root-key"), "s3cret key\n");
        Path password = Files.writeString(dir.resolve("db-password"), " pass word \r\n");
        Config config = Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY_FILE", key.toString(),
                "TESSERA_DATABASE_PASSWORD_FILE", password.toString()));
        assertThat(config.rootKey()).isEqualTo("s3cret key");
        assertThat(config.databasePassword()).isEqualTo(" pass word ");
        Path smtp = Files.writeString(dir.resolve("smtp"), "smtp://u:p@mail.example:587");
        assertThat(Config.fromEnvironment(Map.of("TESSERA_SMTP_URL_FILE", smtp.toString(),
                "TESSERA_SMTP_FROM", "shop@example.com")).messages().smtpUrl()).isEqualTo("smtp://u:p@mail.example:587");
    }

    @Test
    void printedTheSecretsAreMasked() {
        Config config = Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY", "root-s3cret", "TESSERA_DATABASE_PASSWORD",
                "db-s3cret", "TESSERA_SMTP_URL", "smtp://u:smtp-s3cret@mail.example:587", "TESSERA_SMTP_FROM",
                "shop@example.com", "TESSERA_PORT", "9090"));
        assertThat(config.toString()).contains("TESSERA_PORT=9090", "TESSERA_ROOT_KEY=****")
                .doesNotContain("root-s3cret", "db-s3cret", "smtp-s3cret");
    }

    @Test
    void theVariableAndItsFileTogetherAreRefusedNamingBoth(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("root-key"), "a");
        for (String name : List.of("TESSERA_ROOT_KEY", "TESSERA_DATABASE_PASSWORD")) {
            Map<String, String> env = new HashMap<>(Map.of(name, "b", name + "_FILE", key.toString()));
            assertThatThrownBy(() -> Config.fromEnvironment(env)).isInstanceOf(Config.Invalid.class)
                    .hasMessage("set " + name + " or " + name + "_FILE, not both");
        }
    }

    @Test
    void aGroupCommitSizeOutsideOneToSixtyFourIsRefusedNamingTheVariable() {
        assertThat(Config.fromEnvironment(Map.of()).groupCommit()).isEqualTo(8);
        assertThat(Config.fromEnvironment(Map.of("TESSERA_GROUP_COMMIT", "1")).groupCommit()).isEqualTo(1);
        for (String bad : List.of("0", "65", "-3")) {
            assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TESSERA_GROUP_COMMIT", bad)))
                    .isInstanceOf(Config.Invalid.class).hasMessage("TESSERA_GROUP_COMMIT must be from 1 to 64, got " + bad);
        }
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TESSERA_GROUP_COMMIT", "many")))
                .isInstanceOf(Config.Invalid.class).hasMessage("TESSERA_GROUP_COMMIT must be an integer, got 'many'");
    }

    @Test
    void anUnreadableFileIsOneLineNamingTheVariableAndThePath(@TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY_FILE", missing)))
                .isInstanceOf(Config.Invalid.class)
                .hasMessage("TESSERA_ROOT_KEY_FILE: cannot read " + missing + " (NoSuchFileException)");
        assertThatThrownBy(() -> Config.fromEnvironment(Map.of("TESSERA_DATABASE_PASSWORD_FILE", dir.toString())))
                .isInstanceOf(Config.Invalid.class).hasMessageStartingWith("TESSERA_DATABASE_PASSWORD_FILE: cannot read ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aCopyChangesTheSettingsNamedAsTheirVariablesWouldAndKeepsTheRest(@TempDir Path dir) throws IOException {
        Path key = Files.writeString(dir.resolve("root-key"), "from-file");
        Config base = Config.fromEnvironment(Map.of("TESSERA_ROOT_KEY_FILE", key.toString(),
                "TESSERA_GUESS_LIMIT", "7", "TESSERA_HEADER_TIMEOUT_SECONDS", "3", "PATH", "/usr/bin"));
        assertThat(base.variables()).as("only Tessera's variables are kept").doesNotContainKey("PATH");

        Config copy = base.with(Map.of(Config.Setting.PORT, 0, Config.Setting.HEADER_TIMEOUT_SECONDS, 1));
        assertThat(copy.port()).isZero();
        assertThat(copy.httpLimits().headerTimeoutMillis()).as("converted as when read").isEqualTo(1000);
        assertThat(copy.guessLimit()).isEqualTo(7);
        assertThat(copy.rootKey()).isEqualTo("from-file");
        assertThat(base.port()).as("the original is unchanged").isEqualTo(8080);

        assertThat(copy.with(Config.Setting.ROOT_KEY, "given").rootKey()).as("a value replaces its _FILE")
                .isEqualTo("given");
        assertThat(copy.with(Config.Setting.GUESS_LIMIT, null).guessLimit()).as("null: the default").isEqualTo(20);
        assertThatThrownBy(() -> copy.with(Config.Setting.SMTP_URL, "smtp://mail.example")).as("checked as when read")
                .isInstanceOf(Config.Invalid.class).hasMessage("TESSERA_SMTP_FROM is required with TESSERA_SMTP_URL");
    }

    @Test
    void helpNamesTheFileVariableOfEachSecret() {
        String help = Config.help();
        assertThat(Arrays.stream(Config.Setting.values()).map(Config.Setting::fileVariable)
                .filter(java.util.Objects::nonNull).collect(Collectors.toList()))
                .containsExactlyInAnyOrder("TESSERA_ROOT_KEY_FILE", "TESSERA_DATABASE_PASSWORD_FILE", "TESSERA_SMTP_URL_FILE")
                .allMatch(help::contains);
    }
}
