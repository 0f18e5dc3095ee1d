package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment examples under {@code deploy/} parse and agree with the server: the health path, the settings they
 * name, two nodes behind the load balancer, and stop timeouts longer than the drain they wait for.
 */
class DeployFilesTest {
    private static final Path DEPLOY = Path.of("deploy");
    /** Application.close drains HTTP, then the scheduler, each for up to TESSERA_SHUTDOWN_SECONDS. */
    private static final int DRAIN_PHASES = 2;

    @Test
    void everyYamlFileParses() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).extracting(p -> DEPLOY.relativize(p).toString())
                .contains("compose.yaml", "k8s/deployment.yaml", "k8s/service.yaml", "k8s/secret.yaml");
        for (Path f : files) {
            List<Object> docs = new ArrayList<>();
            new Yaml().loadAll(Files.readString(f)).forEach(docs::add);
            assertThat(docs).as(f.toString()).isNotEmpty().allSatisfy(d -> assertThat(d).isInstanceOf(Map.class));
        }
    }

    @Test
    void composeRunsTwoNodesOnPostgresBehindTheLoadBalancer() throws IOException {
        Map<String, Object> services = map(load("compose.yaml"), "services");
        assertThat(services).containsKeys("postgres", "migrate", "tessera-1", "tessera-2", "lb");
        for (String node : List.of("tessera-1", "tessera-2")) {
            Map<String, Object> s = map(services, node);
            assertThat(list(map(s, "healthcheck"), "test")).contains("healthcheck");
            Map<String, Object> env = map(s, "environment");
            assertThat((String) env.get("TESSERA_DATABASE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(map(map(s, "depends_on"), "migrate")).containsEntry("condition", "service_completed_successfully");
            int shutdown = Integer.parseInt((String) env.get("TESSERA_SHUTDOWN_SECONDS"));
            assertThat(seconds((String) s.get("stop_grace_period"))).isGreaterThan(DRAIN_PHASES * shutdown);
        }
        assertThat(list(map(services, "migrate"), "command")).containsExactly("migrate");
        assertThat(map(map(services, "lb"), "depends_on")).containsKeys("tessera-1", "tessera-2");
        String nginx = Files.readString(DEPLOY.resolve("nginx.conf"));
        assertThat(nginx).contains("server tessera-1:8080", "server tessera-2:8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesProbesTheHealthPathAndWaitsForTheDrain() throws IOException {
        Map<String, Object> deployment = load("k8s/deployment.yaml");
        Map<String, Object> pod = map(map(map(deployment, "spec"), "template"), "spec");
        Map<String, Object> container = (Map<String, Object>) list(pod, "containers").getFirst();
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertThat(map(map(container, probe), "httpGet")).as(probe).containsEntry("path", "/health");
        }
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);

        int preStop = (Integer) map(map(map(container, "lifecycle"), "preStop"), "sleep").get("seconds");
        int shutdown = Integer.parseInt((String) map(load("k8s/configmap.yaml"), "data").get("TESSERA_SHUTDOWN_SECONDS"));
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(preStop + DRAIN_PHASES * shutdown);

        Map<String, Object> secret = load("k8s/secret.yaml");
        assertThat(map(secret, "stringData")).containsOnlyKeys("TESSERA_DATABASE_PASSWORD", "TESSERA_ROOT_KEY");
        assertThat(list(container, "envFrom")).contains(Map.of("secretRef", Map.of("name", map(secret, "metadata").get("name"))));

        Map<String, Object> podLabels = map(map(map(map(deployment, "spec"), "template"), "metadata"), "labels");
        assertThat(podLabels).containsAllEntriesOf(map(map(load("k8s/service.yaml"), "spec"), "selector"));
    }

    @Test
    void theSystemdUnitStopsWithSigtermAfterTheDrain() throws IOException {
        String unit = Files.readString(DEPLOY.resolve("tessera.service"));
        assertThat(unit).contains("\nEnvironmentFile=", "\nKillSignal=SIGTERM\n", "\nNoNewPrivileges=yes\n",
                "\nProtectSystem=strict\n", "\nSuccessExitStatus=143\n");
        int shutdown = Integer.parseInt(value(unit, "TESSERA_SHUTDOWN_SECONDS=(\\d+)"));
        assertThat(Integer.parseInt(value(unit, "\nTimeoutStopSec=(\\d+)"))).isGreaterThan(DRAIN_PHASES * shutdown);
    }

    @Test
    void everySettingTheExamplesNameExists() throws IOException {
        Set<String> known = Arrays.stream(Config.Setting.values()).map(Config.Setting::variable)
                .collect(Collectors.toSet());
        known.add("TESSERA_IMAGE"); // compose's own: which image to run
        Set<String> named = new TreeSet<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".sh")).toList()) {
                Matcher m = Pattern.compile("TESSERA_[A-Z_]+").matcher(Files.readString(f));
                while (m.find()) named.add(m.group());
            }
        }
        assertThat(named).isNotEmpty().isSubsetOf(known);
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static Map<String, Object> load(String file) throws IOException {
        return new Yaml().load(Files.readString(DEPLOY.resolve(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> parent, String key) {
        assertThat(parent).containsKey(key);
        return (List<Object>) parent.get(key);
    }

    private static int seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }

    private static String value(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
