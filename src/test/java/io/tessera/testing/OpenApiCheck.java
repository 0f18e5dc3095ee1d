package io.tessera.testing;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
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
 * status must be declared for the operation and its body must match the declared schema. A mismatch fails the test
 * that received it (with {@code -Dtessera.openapi=record} it is appended to {@code target/openapi-mismatches.txt}
 * instead, to survey them all in one run). The operations in {@link #PENDING} are not checked yet: each is a known
 * gap between the reference and the server, to be closed and removed from the list.
 */
final class OpenApiCheck {
    /** Operations whose answers do not match the reference yet ("METHOD /path as in openapi.yaml"). */
    static final Set<String> PENDING = Set.of();
    /**
     * Answers any operation may give, described once in the reference rather than on each operation: 405 (with
     * Allow), 414 and 431 (before routing) and 429 {@code rate_limited} (a key's rate limit).
     */
    private static final Set<Integer> ANY_OPERATION = Set.of(405, 414, 429, 431);
    private static final boolean RECORD = "record".equals(System.getProperty("tessera.openapi"));
    private static final Path RECORDED = Path.of("target", "openapi-mismatches.txt");
    /** Loaded once for the whole run: parsing the reference takes a second or two. */
    private static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
            .createForInlineApiSpecification(reference()).build();

    private OpenApiCheck() {
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
        ValidationReport report = VALIDATOR.validateResponse(uri.getPath(), Request.Method.valueOf(method),
                response.build());
        List<ValidationReport.Message> errors = report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                // Unknown paths are the routes test's business (OpenApiRoutesTest); tests call them on purpose.
                .filter(m -> !m.getKey().equals("validation.request.path.missing"))
                .filter(m -> !m.getKey().equals("validation.request.operation.notAllowed"))
                .filter(m -> !(m.getKey().equals("validation.response.status.unknown") && ANY_OPERATION.contains(status)))
                .toList();
        if (errors.isEmpty()) return;
        String operation = report.getMessages().stream().flatMap(m -> m.getContext().stream())
                .flatMap(c -> c.getApiOperation().stream())
                .map(o -> o.getMethod() + " " + o.getApiPath().original()).findFirst()
                .orElse(method + " " + uri.getPath());
        if (PENDING.contains(operation)) return;
        StringBuilder text = new StringBuilder(operation).append(" answered ").append(status)
                .append(", which openapi.yaml does not describe:");
        for (ValidationReport.Message m : errors) text.append("\n  ").append(m.getKey()).append(": ").append(m.getMessage());
        text.append("\n  body: ").append(body.length() > 2000 ? body.substring(0, 2000) + "..." : body);
        if (!RECORD) throw new AssertionError(text.toString());
        try {
            Files.writeString(RECORDED, text.append('\n').toString(), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
