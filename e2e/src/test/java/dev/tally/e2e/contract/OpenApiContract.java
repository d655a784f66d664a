package dev.tally.e2e.contract;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI documents of the services, each read once, and the check of one answer against the
 * document of the service that gave it (by port): its status is documented for the operation, its
 * content type is one documented for that status, and its body matches that schema. Uses Atlassian's
 * swagger-request-validator (JSON Schema validation of the body). Paths under {@code /q/} (health,
 * metrics, the documents themselves) are not operations of the API and are not checked.
 */
public final class OpenApiContract {
    private final Map<Integer, Document> byPort = new LinkedHashMap<>();

    private record Document(String service, OpenApiInteractionValidator validator) {
    }

    /** Adds a service's document (its JSON or YAML text), answering on {@code baseUrl}'s port. */
    public OpenApiContract add(String service, String baseUrl, String document) {
        OpenApiInteractionValidator validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
        byPort.put(URI.create(baseUrl).getPort(), new Document(service, validator));
        return this;
    }

    /**
     * What is wrong with one answer, empty when it is as documented (or not an answer of an API
     * operation of a known service).
     */
    public List<String> violations(String method, String url, int status, String contentType, String body) {
        URI uri = URI.create(url);
        Document doc = byPort.get(uri.getPort());
        String path = uri.getRawPath();
        if (doc == null || path == null || path.startsWith("/q/")) {
            return List.of();
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        if (contentType != null && !contentType.isEmpty()) {
            response.withContentType(contentType);
        }
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        ValidationReport report = doc.validator.validateResponse(path, Request.Method.valueOf(method.toUpperCase()), response.build());
        List<String> out = new ArrayList<>();
        for (ValidationReport.Message m : report.getMessages()) {
            if (m.getLevel() == ValidationReport.Level.ERROR) {
                out.add(doc.service + " " + method.toUpperCase() + " " + path + " -> " + status + " " + Optional.ofNullable(contentType).orElse("")
                        + ": [" + m.getKey() + "] " + m.getMessage().replace('\n', ' ') + m.getNestedMessages().stream()
                        .map(n -> " / " + n.getMessage().replace('\n', ' ')).reduce("", String::concat));
            }
        }
        return out;
    }
}
