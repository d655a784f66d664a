package dev.tally.e2e.contract;

import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads each running service's OpenAPI document once and checks every RestAssured answer against it. */
public final class Contracts {
    private Contracts() {
    }

    /** The JSON OpenAPI document each service serves at {@code /q/openapi}, by service name. */
    public static Map<String, String> documents(Map<String, String> baseUrls) {
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> out = new LinkedHashMap<>();
        baseUrls.forEach((service, url) -> {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/q/openapi?format=json"))
                        .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(service + " answered " + r.statusCode() + " for its OpenAPI document");
                }
                out.put(service, r.body());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + service + "'s OpenAPI document", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return out;
    }

    /** Installs the check on every RestAssured request of this JVM; violations go to {@code report} too. */
    public static ContractFilter install(Map<String, String> baseUrls, Path report) {
        Map<String, String> docs = documents(baseUrls);
        OpenApiContract contract = new OpenApiContract();
        docs.forEach((service, doc) -> contract.add(service, baseUrls.get(service), doc));
        try {
            Files.deleteIfExists(report);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ContractFilter filter = new ContractFilter(contract, report);
        RestAssured.filters(filter);
        return filter;
    }
}
