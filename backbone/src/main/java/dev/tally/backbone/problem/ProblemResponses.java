package dev.tally.backbone.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Documents the problem answers every operation may give (RFC 9457, {@link Problem}) in each
 * service's OpenAPI: a {@code Problem} schema, and for each operation the 4xx and 5xx it can answer,
 * as application/problem+json. Responses an operation documents itself are kept; a 4xx it declares
 * with only a description (its problem codes) gets the Problem schema. Properties not required may
 * be null ({@link AbsentMayBeNull}).
 * Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponses implements OASFilter {
    private static final String REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        components.addSchema("Problem", problemSchema());
        AbsentMayBeNull.mark(components);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values()
                .forEach(operation -> document(operation, path.contains("{"))));
    }

    private static void document(Operation operation, boolean namesAResource) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        boolean body = operation.getRequestBody() != null;
        if (operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> "Idempotency-Key".equalsIgnoreCase(p.getName()))) {
            mention(responses, "409", "idempotency_request_in_progress: the same Idempotency-Key is still running");
            mention(responses, "422", "idempotency_key_reused: the key was sent with another request");
        }
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("400", "invalid_request or malformed_json: errors[] names each bad field, parameter or header");
        answers.put("401", null); // only where Quarkus documents it (secured operations)
        answers.put("403", null);
        if (namesAResource) {
            answers.put("404", "the resource the path names is not there (errors[] names the parameter)");
        }
        if (body) {
            answers.put("413", "payload_too_large");
            answers.put("415", "unsupported_media_type");
        }
        answers.put("414", "uri_too_long");
        answers.put("431", "headers_too_large");
        answers.put("500", "internal_error, with a reference id in detail");
        answers.put("503", "database_unavailable or transient_conflict, with Retry-After");
        (responses.getAPIResponses() == null ? Map.<String, APIResponse>of() : responses.getAPIResponses()).forEach((status, declared) -> {
            if (status.matches("[45]\\d\\d") && (declared.getContent() == null || declared.getContent().getMediaTypes() == null
                    || declared.getContent().getMediaTypes().isEmpty())) {
                declared.setContent(problem()); // a business refusal an operation declares (409, 422, ...) with its codes
            }
        });
        answers.forEach((status, description) -> {
            APIResponse existing = responses.getAPIResponse(status);
            if (existing == null && description != null) {
                responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description).content(problem()));
            } else if (existing != null && (existing.getContent() == null || existing.getContent().getMediaTypes() == null
                    || existing.getContent().getMediaTypes().isEmpty())) {
                existing.setContent(problem()); // Quarkus adds a bare 400/401/403 for validated or secured operations
            }
        });
    }

    /** Adds a problem code to the status's description, creating the response if the operation has none. */
    private static void mention(APIResponses responses, String status, String code) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(code));
        } else if (existing.getDescription() == null || !existing.getDescription().contains(code.split(":")[0])) {
            existing.setDescription(existing.getDescription() == null ? code : existing.getDescription() + "; " + code);
        }
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(REF)));
    }

    private static Schema problemSchema() {
        Schema fieldError = object().description("A bad field, parameter or header")
                .addProperty("field", string("prices[0].currency, accountId, Idempotency-Key, path or body"))
                .addProperty("code", string("why, when there is a stable reason: wrong_type, duplicate_key, too_large, ..."))
                .addProperty("message", string("why, for people"))
                .required(List.of("field", "message"));
        return object().description("RFC 9457 problem: switch on code (docs/errors.md)")
                .addProperty("type", string("https://tally.dev/problems/{code}"))
                .addProperty("title", string("the status's reason phrase"))
                .addProperty("status", OASFactory.createSchema().type(List.of(SchemaType.INTEGER)).format("int32"))
                .addProperty("detail", string("what is wrong, for people"))
                .addProperty("code", string("stable, machine-readable: invalid_request, plan_not_found, ..."))
                .addProperty("errors", OASFactory.createSchema().type(List.of(SchemaType.ARRAY)).items(fieldError))
                .required(List.of("type", "title", "status", "code"));
    }

    private static Schema object() {
        return OASFactory.createSchema().type(List.of(SchemaType.OBJECT));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().type(List.of(SchemaType.STRING)).description(description);
    }
}
