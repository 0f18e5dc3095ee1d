package io.tessera.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.report.LevelResolver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * Every JSON answer the HTTP tests receive through {@link TestServer} is checked against {@code openapi.yaml}: its
 * status must be declared for the operation, its body must match the declared schema and the headers it declares
 * required must be there. A mismatch fails the test that received it; with {@code -Dtessera.openapi=record} it is
 * appended to {@code target/openapi-mismatches.txt} instead, with every operation seen in
 * {@code target/openapi-operations.txt}, to survey them all in one run.
 */
final class OpenApiCheck {
    /**
     * Answers any operation may give, described once in the reference rather than on each operation: 405 (with
     * Allow), 414 and 431 (before routing) and 429 {@code rate_limited} (a key's rate limit).
     */
    private static final Set<Integer> ANY_OPERATION = Set.of(405, 414, 429, 431);
    private static final boolean RECORD = "record".equals(System.getProperty("tessera.openapi"));
    private static final Path RECORDED = Path.of("target", "openapi-mismatches.txt");
    private static final Path SEEN = Path.of("target", "openapi-operations.txt");
    /** The reference's paths as patterns ({@code /v1/campaigns/{name}} matches {@code /v1/campaigns/c1}). */
    private static final java.util.Map<java.util.regex.Pattern, String> TEMPLATES = templates();
    private static final List<java.util.regex.Pattern> PATHS = List.copyOf(TEMPLATES.keySet());

    private static java.util.Map<java.util.regex.Pattern, String> templates() {
        java.util.Map<java.util.regex.Pattern, String> t = new java.util.LinkedHashMap<>();
        try {
            // Paths without parameters first: "/v1/campaigns/simulate" is not the campaign named "simulate".
            List<String> paths = new java.util.ArrayList<>();
            new ObjectMapper(new YAMLFactory()).readTree(reference()).get("paths").fieldNames().forEachRemaining(paths::add);
            paths.sort(java.util.Comparator.comparing(p -> p.contains("{")));
            for (String p : paths)
                t.put(java.util.regex.Pattern.compile(p.replaceAll("\\{[^}]+}", "[^/]+").replace(".", "\\.")), p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }
    /** Loaded once for the whole run: parsing the reference takes a second or two. */
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(asOpenApi30(reference()))
            // allOf (a page's data, a created project with its key) merged into one schema, as JSON Schema means it.
            .withResolveCombinators(true)
            // Responses may carry members the schema does not list; only what it lists is checked.
            .withLevelResolver(LevelResolver.create().withLevel("validation.response.body.schema.additionalProperties",
                    ValidationReport.Level.IGNORE).build())
            .build();

    private OpenApiCheck() {
    }

    /**
     * The reference in OpenAPI 3.0 terms, which the validator implements: the parser it uses drops the 3.1 forms of
     * types ({@code type: [string, "null"]}, {@code type: "null"}), and so would check no type at all. Same meaning:
     * a type list with null becomes the type with {@code nullable}, the null type {@code enum: [null]}, {@code const}
     * a one-value enum, a numeric {@code exclusiveMinimum} a minimum; what 3.0 lacks and checks nothing
     * ({@code info.summary}, {@code propertyNames}, schema {@code examples}) is left out.
     */
    static String asOpenApi30(String yaml) {
        try {
            ObjectNode tree = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml);
            tree.put("openapi", "3.0.3");
            ((ObjectNode) tree.get("info")).remove("summary");
            return new ObjectMapper().writeValueAsString(to30(tree));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode to30(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isArray()) {
            ArrayNode a = f.arrayNode();
            node.forEach(e -> a.add(to30(e)));
            return a;
        }
        if (!node.isObject()) return node;
        ObjectNode o = f.objectNode();
        JsonNode type = node.get("type");
        if (node.size() == 1 && type != null && type.asText().equals("null")) {
            o.put("nullable", true).putArray("enum").addNull();
            return o;
        }
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "type" -> {
                    if (!v.isArray()) o.set("type", to30(v));
                    else {
                        for (JsonNode t : v) if (!t.asText().equals("null")) o.put("type", t.asText());
                        if (v.size() > 1) o.put("nullable", true);
                    }
                }
                case "const" -> {
                    if (v.isValueNode()) o.putArray("enum").add(v);
                    else o.set("const", to30(v));
                }
                case "exclusiveMinimum" -> o.set(v.isNumber() ? "minimum" : "exclusiveMinimum", v);
                case "propertyNames" -> { }
                case "examples" -> {
                    if (!v.isArray()) o.set("examples", to30(v));
                }
                default -> o.set(e.getKey(), to30(v));
            }
        });
        return o;
    }

    static String reference() {
        try (InputStream in = OpenApiCheck.class.getResourceAsStream("/openapi.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks one answer to {@code method} {@code uri}; answers that are not JSON, and paths the reference lacks, pass. */
    static void check(String method, URI uri, int status, HttpHeaders headers, String body) {
        String contentType = headers.firstValue("Content-Type").orElse("");
        if (!contentType.startsWith("application/json") && !contentType.startsWith("application/problem+json")) return;
        SimpleResponse.Builder response = new SimpleResponse.Builder(status).withBody(body)
                .withContentType(contentType);
        // The headers too: a header the reference declares required (Retry-After on a 429) must be there.
        headers.map().forEach(response::withHeader);
        ValidationReport report = VALIDATOR.validateResponse(uri.getPath(), Request.Method.valueOf(method),
                response.build());
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                // Unknown paths are the routes test's business (OpenApiRoutesTest); tests call them on purpose.
                .filter(m -> !m.getKey().equals("validation.request.path.missing"))
                .filter(m -> !m.getKey().equals("validation.request.operation.notAllowed"))
                .filter(m -> !(m.getKey().equals("validation.response.status.unknown") && ANY_OPERATION.contains(status)))
                .toList();
        String operation = method + " " + PATHS.stream().filter(t -> t.matcher(uri.getPath()).matches())
                .map(t -> TEMPLATES.get(t)).findFirst().orElse(uri.getPath());
        if (RECORD) append(SEEN, operation + (errors.isEmpty() ? " ok" : " mismatch") + "\n");
        if (errors.isEmpty()) return;
        StringBuilder text = new StringBuilder(operation).append(" answered ").append(status)
                .append(", which openapi.yaml does not describe:");
        for (ValidationReport.Message m : errors) {
            text.append("\n  ").append(m.getKey()).append(": ").append(m.getMessage());
            for (ValidationReport.Message n : m.getNestedMessages())
                text.append("\n    ").append(n.getKey()).append(": ").append(n.getMessage());
        }
        text.append("\n  body: ").append(body.length() > 2000 ? body.substring(0, 2000) + "..." : body);
        if (!RECORD) throw new AssertionError(text.toString());
        append(RECORDED, text.append('\n').toString());
    }

    private static synchronized void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
