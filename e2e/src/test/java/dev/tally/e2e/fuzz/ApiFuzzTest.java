package dev.tally.e2e.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.e2e.contract.Contracts;
import dev.tally.e2e.fuzz.Operations.Operation;
import dev.tally.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz of the four services' APIs, generated from their OpenAPI documents: every operation
 * that takes a body or parameters gets requests that are well-formed but for one mutation (a wrong
 * type, a missing field, a number out of bounds, NUL, a huge string, an unknown enum value, a
 * duplicate key, trailing content, bytes that are not UTF-8, a bad id, ...), chosen by a seeded
 * random (printed; again with {@code -Dtally.seed=N}; {@code -Dtally.fuzz.requests}, default 2,200).
 * Every answer: no 5xx; a 4xx is application/problem+json with a code; it is as the OpenAPI documents
 * it; and a refused request changed nothing (the target account's balance, subscription, charges and
 * customer balance, or the catalog, read before and after). The clocks stand still meanwhile.
 */
class ApiFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ACCOUNTS = List.of("fuzz-1", "fuzz-2", "fuzz-3");

    /** Waits (at most 60 s) until credits-service has applied the account's subscription: its entitlements are known there. */
    private static void reachedCredits(HttpClient http, Suite suite, String account) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && http.send(HttpRequest.newBuilder(URI.create(suite.url(Service.CREDITS)
                        + "/accounts/" + account + "/entitlements")).header("Authorization", TestTokens.bearer(TestTokens.admin())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
            Thread.sleep(200);
        }
    }

    @Test
    void everyRefusalIsAProblemAndChangesNothing() throws Exception {
        Suite suite = Suite.get();
        long seed = Long.getLong("tally.seed", new SecureRandom().nextLong());
        int total = Integer.getInteger("tally.fuzz.requests", 2_200);
        System.out.println("API fuzz: seed " + seed + " (run it again with -Dtally.seed=" + seed + "), " + total + " requests");
        Random random = new Random(seed);
        Map<String, String> urls = new LinkedHashMap<>();
        for (Service s : Service.values()) {
            urls.put(s.module(), suite.url(s));
        }
        List<Operation> operations = new ArrayList<>(Operations.of(Contracts.documents(urls), urls));
        Collections.shuffle(operations, random);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        Observed observed = new Observed(suite, http);
        Instant now = Instant.parse(JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(suite.url(Service.PLANS) + "/admin/clock"))
                .header("Authorization", TestTokens.bearer(TestTokens.admin())).build(), HttpResponse.BodyHandlers.ofString()).body())
                .get("now").asText());
        suite.freezeClock(now);
        FuzzFigures figures = new FuzzFigures(operations.size());
        long started = System.nanoTime();
        try {
            Map<String, String> state = new LinkedHashMap<>();
            for (String account : ACCOUNTS) {
                send(http, suite.url(Service.SUBSCRIPTIONS), new Mutator.Request("POST", "/accounts/" + account + "/subscription",
                        Map.of(), null, "none"));
                reachedCredits(http, suite, account); // its subscription.started applied there: the daily credits will not arrive later
                state.put(account, observed.settled(true, account));
            }
            String catalog = observed.catalog();
            Mutator mutator = new Mutator(random);
            for (int i = 0; i < total; i++) {
                Operation op = operations.get(i % operations.size());
                String account = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
                Mutator.Request request = mutator.next(op, account);
                Answer answer = send(http, op.baseUrl(), request);
                figures.count(op, answer.status);
                String what = op.name() + " [" + request.mutation() + "] -> " + answer.status;
                if (answer.status == -2) {
                    continue; // java.net.http refuses to send it (a header value it will not write)
                }
                if (answer.status < 0) {
                    figures.fail(what + ": " + answer.body);
                    continue;
                }
                if (answer.status == 0) {
                    continue; // the server closed the connection on a body over its limit before reading it all
                }
                if (answer.status >= 500) {
                    figures.fail(what + ": a 5xx " + Mutator.abbreviate(answer.body));
                }
                if (answer.status >= 400 && answer.status < 500 && !isProblem(answer)) {
                    figures.fail(what + ": not a problem+json with a code (" + answer.contentType + ") " + Mutator.abbreviate(answer.body));
                }
                suite.contract().contract().violations(op.method(), op.baseUrl() + request.target().replaceAll("\\?.*", ""),
                        answer.status, answer.contentType, answer.body).forEach(v -> figures.fail("contract: " + v + " [" + request.mutation() + "]"));
                boolean onCatalog = op.service().equals(Service.PLANS.module());
                if (!op.onAccount() && !onCatalog) {
                    continue;
                }
                if (answer.status >= 400) {
                    String after = op.onAccount() ? observed.account(account) : observed.catalog();
                    String before = op.onAccount() ? state.get(account) : catalog;
                    if (!after.equals(before)) {
                        figures.fail(what + ": refused, but the state changed:\n    before " + before + "\n    after  " + after);
                    }
                } else if (answer.status < 300) {
                    figures.accepted(what);
                }
                if (answer.status < 300 || answer.status >= 400) {
                    if (op.onAccount()) {
                        state.put(account, answer.status < 300 ? observed.settled(true, account) : observed.account(account));
                    } else {
                        catalog = answer.status < 300 ? observed.settled(false, null) : observed.catalog();
                    }
                }
            }
        } finally {
            suite.setClock(now); // running again, for the suite's other tests
        }
        String report = figures.report(Duration.ofNanos(System.nanoTime() - started), seed);
        System.out.println(report);
        Path out = Path.of(System.getProperty("tally.root", "..")).resolve("e2e/target/fuzz-figures.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        assertEquals(List.of(), figures.failures(), "the fuzz found " + figures.failures().size() + " answers that break the rules (seed " + seed + ")");
    }

    private record Answer(int status, String contentType, String body) {
    }

    private static boolean isProblem(Answer a) {
        if (a.contentType == null || !a.contentType.startsWith("application/problem+json")) {
            return false;
        }
        try {
            JsonNode code = JSON.readTree(a.body).path("code");
            return code.isTextual() && !code.asText().isBlank();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Answer send(HttpClient http, String baseUrl, Mutator.Request r) throws InterruptedException {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(baseUrl + r.target())).timeout(Duration.ofSeconds(30))
                    .header("Authorization", TestTokens.bearer(TestTokens.admin()))
                    .method(r.method(), r.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()));
            r.headers().forEach(b::header);
        } catch (IllegalArgumentException e) {
            return new Answer(-2, null, "the client could not send it: " + e.getMessage());
        }
        try {
            HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
        } catch (java.io.IOException e) {
            if (r.body() != null && r.body().length > 1_048_576) {
                return new Answer(0, null, e.toString());
            }
            return new Answer(-1, null, e.toString());
        }
    }
}
