package dev.tally.web;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.web.Subscriptions.Quote;
import dev.tally.web.Subscriptions.Subscription;
import dev.tally.web.TallyApi.Service;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;

/**
 * The Plan & Credits page of the signed-in account and its forms: review a change (a preview) and
 * confirm it, drop the pending change, cancel and resume, buy credits, contact sales, Stripe
 * Checkout and portal. Each form posts here and is redirected back with the outcome, or the
 * service's refusal, as the message.
 */
@Path("/plan")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class PlanResource {
    private final TallyApi api;
    private final PlanAndCredits pages;
    private final boolean stripe;
    private final String publicUrl;

    public PlanResource(TallyApi api, PlanAndCredits pages, @ConfigProperty(name = "tally.web.payments-provider") String provider,
                        @ConfigProperty(name = "tally.web.public-url") String publicUrl) {
        this.api = api;
        this.pages = pages;
        this.stripe = "stripe".equalsIgnoreCase(provider);
        this.publicUrl = publicUrl;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance plan(PlanAndCredits.View view, Session.Flash flash, String formKey);

        static native TemplateInstance review(String accountId, Quote quote, String formKey);
    }

    private record SignedIn(String account, String token) {
        String path() {
            return "/accounts/" + TallyApi.segment(account);
        }
    }

    private static SignedIn signedIn(HttpHeaders headers) {
        var account = Session.cookie(headers, Session.ACCOUNT);
        var token = Session.cookie(headers, Session.TOKEN);
        return account.isPresent() && token.isPresent() ? new SignedIn(account.get(), token.get()) : null;
    }

    @GET
    public Response page(@Context HttpHeaders headers) {
        SignedIn who = signedIn(headers);
        if (who == null) {
            return Session.redirect("/", false, "Sign in first.");
        }
        try {
            var view = pages.of(who.account(), who.token(), stripe);
            return Response.ok(Templates.plan(view, Session.flash(headers), UUID.randomUUID().toString()))
                    .cookie(Session.clear(Session.FLASH)).build();
        } catch (Refusal r) {
            return Session.redirect("/", false, "Cannot show " + who.account() + ": " + r.shown());
        }
    }

    @POST
    @Path("review")
    public Response review(@Context HttpHeaders headers, @RestForm String planCode, @RestForm String interval,
                           @RestForm String timing) {
        return act(headers, who -> {
            Map<String, Object> body = new HashMap<>(Map.of("planCode", planCode, "interval", interval));
            if (timing != null && !timing.isBlank()) {
                body.put("timing", timing);
            }
            Quote quote = api.post(Service.SUBSCRIPTIONS, who.path() + "/subscription/previews", who.token(), body,
                    UUID.randomUUID().toString(), new TypeReference<>() { });
            return Response.ok(Templates.review(who.account(), quote, UUID.randomUUID().toString())).build();
        });
    }

    @POST
    @Path("confirm")
    public Response confirm(@Context HttpHeaders headers, @RestForm String previewId, @RestForm String formKey) {
        return act(headers, who -> {
            Quote done = api.post(Service.SUBSCRIPTIONS, who.path() + "/subscription/changes", who.token(),
                    Map.of("previewId", previewId), formKey, new TypeReference<>() { });
            String when = "END_OF_PERIOD".equals(done.timing())
                    ? "You move to " + done.toPlan() + " on " + Formats.date(done.effectiveAt()) + "."
                    : "You are on " + done.toPlan() + " now; paid " + Formats.money(done.payNowMinor(), done.currency()) + ".";
            return Session.redirect("/plan", true, "Plan change confirmed. " + when);
        });
    }

    @POST
    @Path("pending-change/cancel")
    public Response dropPendingChange(@Context HttpHeaders headers) {
        return act(headers, who -> {
            api.call(Service.SUBSCRIPTIONS, "DELETE", who.path() + "/subscription/pending-change", who.token(), null, null, null);
            return Session.redirect("/plan", true, "The scheduled change is cancelled; your plan stays as it is.");
        });
    }

    @POST
    @Path("cancel")
    public Response cancel(@Context HttpHeaders headers, @RestForm String formKey) {
        return act(headers, who -> {
            Subscription s = api.post(Service.SUBSCRIPTIONS, who.path() + "/subscription/cancel", who.token(), null, formKey,
                    new TypeReference<>() { });
            return Session.redirect("/plan", true, "Cancelled. Your " + s.planCode() + " plan stays active until "
                    + Formats.date(s.periodEnd()) + ", then you are on Free.");
        });
    }

    @POST
    @Path("resume")
    public Response resume(@Context HttpHeaders headers, @RestForm String formKey) {
        return act(headers, who -> {
            Subscription s = api.post(Service.SUBSCRIPTIONS, who.path() + "/subscription/resume", who.token(), null, formKey,
                    new TypeReference<>() { });
            return Session.redirect("/plan", true, "Resumed. Your " + s.planCode() + " plan renews on " + Formats.date(s.periodEnd()) + ".");
        });
    }

    @POST
    @Path("topups")
    public Response buy(@Context HttpHeaders headers, @RestForm String packCode, @RestForm String formKey) {
        return act(headers, who -> {
            Subscriptions.Topup t = api.post(Service.SUBSCRIPTIONS, who.path() + "/topups", who.token(), Map.of("packCode", packCode),
                    formKey, new TypeReference<>() { });
            return Session.redirect("/plan", true, "Bought " + t.credits() + " credits. They never expire.");
        });
    }

    @POST
    @Path("sales-inquiries")
    public Response contactSales(@Context HttpHeaders headers, @RestForm String planCode, @RestForm String contactEmail,
                                 @RestForm String message, @RestForm String formKey) {
        return act(headers, who -> {
            api.post(Service.SUBSCRIPTIONS, who.path() + "/sales-inquiries", who.token(),
                    Map.of("planCode", planCode, "contactEmail", contactEmail, "message", message == null ? "" : message),
                    formKey, null);
            return Session.redirect("/plan", true, "Thanks: sales will contact you at " + contactEmail + ".");
        });
    }

    @POST
    @Path("checkout")
    public Response checkout(@Context HttpHeaders headers, @RestForm String planCode, @RestForm String interval,
                             @RestForm String packCode, @RestForm String formKey) {
        return act(headers, who -> {
            Map<String, Object> body = new HashMap<>(Map.of("successUrl", publicUrl + "/plan", "cancelUrl", publicUrl + "/plan"));
            if (packCode != null && !packCode.isBlank()) {
                body.put("packCode", packCode);
            } else {
                body.putAll(Map.of("planCode", planCode, "interval", interval));
            }
            Subscriptions.StripeSession s = api.post(Service.SUBSCRIPTIONS, who.path() + "/checkout-sessions", who.token(), body,
                    formKey, new TypeReference<>() { });
            return Response.seeOther(URI.create(s.url())).build();
        });
    }

    @POST
    @Path("portal")
    public Response portal(@Context HttpHeaders headers) {
        return act(headers, who -> {
            Subscriptions.StripeSession s = api.post(Service.SUBSCRIPTIONS, who.path() + "/portal-sessions", who.token(),
                    Map.of("returnUrl", publicUrl + "/plan"), null, new TypeReference<>() { });
            return Response.seeOther(URI.create(s.url())).build();
        });
    }

    /** Runs a form's action for the signed-in account; a refusal comes back to the page as its message. */
    private Response act(HttpHeaders headers, Function<SignedIn, Response> action) {
        SignedIn who = signedIn(headers);
        if (who == null) {
            return Session.redirect("/", false, "Sign in first.");
        }
        try {
            return action.apply(who);
        } catch (Refusal r) {
            return Session.redirect("/plan", false, r.shown());
        }
    }
}
