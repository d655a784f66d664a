package dev.tally.e2e.fuzz;

import dev.tally.e2e.Suite;
import dev.tally.e2e.Suite.Service;
import dev.tally.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * What a refused request must leave as it was: an account's balance, subscription and charges, or
 * the catalog (plans, packs, change-policy overrides), each read as its JSON text.
 */
final class Observed {
    private final Suite suite;
    private final HttpClient http;
    private final String admin = TestTokens.bearer(TestTokens.admin());

    Observed(Suite suite, HttpClient http) {
        this.suite = suite;
        this.http = http;
    }

    String account(String accountId) {
        return read(List.of(suite.url(Service.CREDITS) + "/accounts/" + accountId + "/credits",
                suite.url(Service.SUBSCRIPTIONS) + "/accounts/" + accountId + "/subscription",
                suite.url(Service.SUBSCRIPTIONS) + "/accounts/" + accountId + "/charges",
                suite.url(Service.SUBSCRIPTIONS) + "/accounts/" + accountId + "/customer-balance"));
    }

    String catalog() {
        return read(List.of(suite.url(Service.PLANS) + "/plans", suite.url(Service.PLANS) + "/credit-packs",
                suite.url(Service.PLANS) + "/admin/change-policies"));
    }

    /** The state once it stops moving (the events of an accepted request applied): two reads 400 ms apart agree, at most 8 s. */
    String settled(boolean account, String accountId) throws InterruptedException {
        String last = account ? account(accountId) : catalog();
        long deadline = System.currentTimeMillis() + 8_000;
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(400);
            String now = account ? account(accountId) : catalog();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** The answers to every url, in their order; the reads go out together (the fuzz reads an account's state after every request). */
    private String read(List<String> urls) {
        List<CompletableFuture<HttpResponse<String>>> reads = urls.stream().map(url -> http.sendAsync(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30)).header("Authorization", admin).build(), HttpResponse.BodyHandlers.ofString())).toList();
        StringBuilder out = new StringBuilder();
        for (CompletableFuture<HttpResponse<String>> read : reads) {
            try {
                HttpResponse<String> r = read.get();
                out.append(r.statusCode()).append(' ').append(r.body()).append('\n');
            } catch (ExecutionException e) {
                out.append("unreadable ").append(e.getCause()).append('\n');
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return out.toString();
    }
}
