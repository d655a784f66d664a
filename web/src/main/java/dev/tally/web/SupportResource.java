package dev.tally.web;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.web.TallyApi.Service;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;

/** The support console (admin token): find an account, see everything about it, grant promo credits, move its plan; the clock. */
@Path("/support")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class SupportResource {
    private final TallyApi api;
    private final SupportAccount accounts;
    private final DevLogin devLogin;
    private final boolean secure;

    public SupportResource(TallyApi api, SupportAccount accounts, DevLogin devLogin,
                           @ConfigProperty(name = "tally.web.secure-cookies") boolean secure) {
        this.api = api;
        this.accounts = accounts;
        this.devLogin = devLogin;
        this.secure = secure;
    }

    /** An admin token, or on the local stack none: the dev login mints one (subject support-console). */
    @POST
    @Path("sign-in")
    public Response signIn(@RestForm String token) {
        String jwt = token == null ? "" : token.strip();
        if (jwt.isEmpty()) {
            if (!devLogin.enabled()) {
                return Session.redirect("/", false, "Paste an admin token (dev login is off here).");
            }
            jwt = devLogin.support();
        }
        return Response.seeOther(URI.create("/support")).cookie(Session.set(Session.SUPPORT, jwt, secure)).build();
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance console(SupportAccount.View view, Session.Flash flash, String formKey);

        static native TemplateInstance clock(Map<String, String> clocks, Session.Flash flash);
    }

    @GET
    public Response find(@Context HttpHeaders headers, @QueryParam("accountId") String accountId) {
        return act(headers, admin -> {
            if (accountId != null && !accountId.isBlank()) {
                return Response.seeOther(URI.create("/support/accounts/" + TallyApi.segment(accountId.strip()))).build();
            }
            return page(headers, Templates.console(null, Session.flash(headers), ""));
        }, "/");
    }

    @GET
    @Path("accounts/{accountId}")
    public Response account(@Context HttpHeaders headers, @PathParam("accountId") String accountId) {
        return act(headers, admin -> page(headers, Templates.console(accounts.of(accountId, admin), Session.flash(headers),
                UUID.randomUUID().toString())), "/support");
    }

    @POST
    @Path("accounts/{accountId}/grants")
    public Response grant(@Context HttpHeaders headers, @PathParam("accountId") String accountId, @RestForm long credits,
                          @RestForm String reason, @RestForm String expiresOn, @RestForm String formKey) {
        String back = "/support/accounts/" + TallyApi.segment(accountId);
        return act(headers, admin -> {
            Map<String, Object> body = new HashMap<>(Map.of("credits", credits, "reason", reason == null ? "" : reason));
            if (expiresOn != null && !expiresOn.isBlank()) {
                body.put("expiresAt", LocalDate.parse(expiresOn).atStartOfDay(ZoneOffset.UTC).toInstant().toString());
            }
            api.post(Service.CREDITS, "/accounts/" + TallyApi.segment(accountId) + "/credits/grants", admin, body, formKey, null);
            return Session.redirect(back, true, "Granted " + credits + " promo credits.");
        }, back);
    }

    @POST
    @Path("accounts/{accountId}/plan")
    public Response movePlan(@Context HttpHeaders headers, @PathParam("accountId") String accountId, @RestForm String plan,
                             @RestForm String timing, @RestForm String reason, @RestForm String formKey) {
        String back = "/support/accounts/" + TallyApi.segment(accountId);
        return act(headers, admin -> {
            String[] codeAndInterval = (plan == null ? "" : plan).split(":");
            Map<String, Object> body = new HashMap<>(Map.of("planCode", codeAndInterval[0], "reason", reason == null ? "" : reason));
            if (codeAndInterval.length > 1) {
                body.put("interval", codeAndInterval[1]);
            }
            if (timing != null && !timing.isBlank()) {
                body.put("timing", timing);
            }
            Subscriptions.Quote q = api.post(Service.SUBSCRIPTIONS, "/accounts/" + TallyApi.segment(accountId) + "/subscription/changes",
                    admin, body, formKey, new TypeReference<>() { });
            return Session.redirect(back, true, "Moved to " + q.toPlan() + " (" + q.timing() + ", effective "
                    + Formats.time(q.effectiveAt()) + ").");
        }, back);
    }

    @GET
    @Path("clock")
    public Response clock(@Context HttpHeaders headers) {
        return act(headers, admin -> {
            Map<String, String> clocks = new LinkedHashMap<>();
            for (Service s : Service.values()) {
                try {
                    Credits.Clock c = api.get(s, "/admin/clock", admin, new TypeReference<>() { });
                    clocks.put(s.name().toLowerCase(), Formats.time(c.now()) + (c.frozen() ? " (frozen)" : ""));
                } catch (Refusal r) {
                    clocks.put(s.name().toLowerCase(), r.shown());
                }
            }
            return page(headers, Templates.clock(clocks, Session.flash(headers)));
        }, "/support");
    }

    /** Moves every service's clock alike (the local stack and tests only: production answers 404). */
    @POST
    @Path("clock")
    public Response moveClock(@Context HttpHeaders headers, @RestForm String action, @RestForm String by, @RestForm String now) {
        return act(headers, admin -> {
            List<String> done = new ArrayList<>();
            for (Service s : Service.values()) {
                switch (action == null ? "" : action) {
                    case "advance" -> api.post(s, "/admin/clock/advance", admin, Map.of("by", by), null, null);
                    case "set" -> api.call(s, "PUT", "/admin/clock", admin, Map.of("now", now), null, null);
                    case "reset" -> api.call(s, "DELETE", "/admin/clock", admin, null, null, null);
                    default -> throw new Refusal(400, "invalid_request", "unknown clock action");
                }
                done.add(s.name().toLowerCase());
            }
            return Session.redirect("/support/clock", true, "Clock " + action + " on " + String.join(", ", done) + ".");
        }, "/support/clock");
    }

    private static Response page(HttpHeaders headers, TemplateInstance page) {
        return Response.ok(page).cookie(Session.clear(Session.FLASH)).build();
    }

    private static Response act(HttpHeaders headers, Function<String, Response> action, String onRefusal) {
        var admin = Session.cookie(headers, Session.SUPPORT);
        if (admin.isEmpty()) {
            return Session.redirect("/", false, "Sign in to the support console with an admin token first.");
        }
        try {
            return action.apply(admin.get());
        } catch (Refusal r) {
            return Session.redirect(onRefusal, false, r.shown());
        } catch (RuntimeException e) {
            return Session.redirect(onRefusal, false, "Not understood: " + e.getMessage());
        }
    }
}
