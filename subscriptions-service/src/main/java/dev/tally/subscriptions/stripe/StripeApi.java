package dev.tally.subscriptions.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.net.RequestOptions;
import dev.tally.backbone.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The one way Tally calls Stripe: stripe-java is blocking, so every call runs on a worker thread,
 * never on the event loop; each carries an idempotency key derived from Tally's own, so a retry
 * (stripe-java's, or the caller's with the same Idempotency-Key) never does anything twice; and
 * Stripe's errors become problem+json answers instead of 500s. The answer is delivered on the
 * caller's Vert.x context, where the caller's Hibernate Reactive session (if any) lives.
 */
@ApplicationScoped
public class StripeApi {
    private static final Logger LOG = Logger.getLogger(StripeApi.class);
    private final StripeSettings settings;
    private volatile StripeClient client;

    public StripeApi(StripeSettings settings) {
        this.settings = settings;
    }

    /** A blocking call to Stripe with the request options to use. */
    @FunctionalInterface
    public interface Call<T> {
        T run(StripeClient client, RequestOptions options) throws StripeException;
    }

    public <T> Uni<T> call(String idempotencyKey, Call<T> call) {
        // the answer comes back on the caller's Vert.x context (a worker thread may carry that context
        // too, and a Hibernate Reactive session opened after the call must be on its event loop)
        io.vertx.core.Context caller = io.vertx.core.Vertx.currentContext();
        Uni<T> answer = Uni.createFrom().item(() -> {
                    RequestOptions options = RequestOptions.builder().setIdempotencyKey(idempotencyKey == null ? null : "tally-" + idempotencyKey).build();
                    try {
                        return call.run(client(), options);
                    } catch (StripeException e) {
                        throw problem(e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null || !caller.isEventLoopContext() ? answer : answer.emitOn(task -> caller.runOnContext(x -> task.run()));
    }

    private StripeClient client() {
        StripeClient c = client;
        if (c == null) {
            String key = settings.apiKey().filter(k -> !k.isBlank()).orElseThrow(() -> new ProblemException(503,
                    "stripe_not_configured", "tally.payments.provider is stripe but no Stripe API key is set (STRIPE_API_KEY)."));
            c = StripeClient.builder().setApiKey(key).setApiBase(settings.apiBase())
                    .setMaxNetworkRetries(settings.maxNetworkRetries())
                    .setConnectTimeout(5_000).setReadTimeout((int) settings.readTimeout().toMillis()).build();
            client = c;
        }
        return c;
    }

    /** Stripe's error as the caller sees it; the Stripe request id is in the detail for support. */
    static ProblemException problem(StripeException e) {
        String ref = e.getRequestId() == null ? "" : " (Stripe request " + e.getRequestId() + ")";
        if (e instanceof CardException card) {
            return new ProblemException(402, "card_declined", "The card was declined: " + card.getUserMessage() + ref);
        }
        if (e instanceof RateLimitException) {
            return new ProblemException(429, "stripe_rate_limited", "Stripe is limiting requests; retry shortly with the same Idempotency-Key." + ref);
        }
        if (e instanceof ApiConnectionException) {
            return new ProblemException(503, "stripe_unavailable", "Stripe could not be reached; nothing was changed, retry shortly." + ref);
        }
        if (e instanceof AuthenticationException || e instanceof PermissionException) {
            LOG.errorf("Stripe refused our credentials: %s", e.getMessage());
            return new ProblemException(503, "stripe_not_configured", "Stripe refused this service's credentials." + ref);
        }
        if (e instanceof IdempotencyException) {
            return new ProblemException(409, "stripe_idempotency_conflict", e.getMessage() + ref);
        }
        if (e instanceof InvalidRequestException) {
            LOG.warnf("Stripe rejected a request: %s", e.getMessage());
            return new ProblemException(502, "stripe_rejected", "Stripe rejected the request: " + e.getMessage() + ref);
        }
        Integer status = e.getStatusCode();
        return new ProblemException(status != null && status >= 500 ? 502 : 503, "stripe_error",
                "Stripe answered with an error; nothing was changed, retry shortly." + ref);
    }
}
