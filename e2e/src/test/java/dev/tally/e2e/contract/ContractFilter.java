package dev.tally.e2e.contract;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Installed on every RestAssured request of the e2e tests (Suite): each answer is checked against the
 * OpenAPI document of the service that gave it ({@link OpenApiContract}). A violation fails the request
 * at once (an AssertionError naming the operation, the status and what differs) and is written to
 * {@code e2e/target/contract-violations.txt}. With {@code -Dtally.contract.report-only=true} violations
 * are only written, so one run lists them all.
 */
public final class ContractFilter implements Filter {
    private final OpenApiContract contract;
    private final Path report;
    private final boolean reportOnly;
    private final AtomicLong checked = new AtomicLong();
    private final AtomicLong violated = new AtomicLong();

    public ContractFilter(OpenApiContract contract, Path report) {
        this(contract, report, Boolean.getBoolean("tally.contract.report-only"));
    }

    ContractFilter(OpenApiContract contract, Path report, boolean reportOnly) {
        this.contract = contract;
        this.report = report;
        this.reportOnly = reportOnly;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec, FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        List<String> violations = contract.violations(request.getMethod(), request.getURI(), response.statusCode(),
                response.contentType(), response.asString());
        checked.incrementAndGet();
        if (!violations.isEmpty()) {
            violated.incrementAndGet();
            write(violations);
            if (!reportOnly) {
                throw new AssertionError("The answer is not as the OpenAPI documents it:\n  " + String.join("\n  ", violations)
                        + "\nbody: " + abbreviate(response.asString()));
            }
        }
        return response;
    }

    /** The documents it checks against. */
    public OpenApiContract contract() {
        return contract;
    }

    /** Answers checked so far, and how many of them broke the contract. */
    public long checked() {
        return checked.get();
    }

    public long violated() {
        return violated.get();
    }

    private synchronized void write(List<String> violations) {
        try {
            Files.createDirectories(report.getParent());
            Files.write(report, violations, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String body) {
        return body == null || body.length() <= 2000 ? body : body.substring(0, 2000) + "...";
    }
}
