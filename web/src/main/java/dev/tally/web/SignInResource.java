package dev.tally.web;

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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestForm;

/** Signing in: an account (its token, or the local stack's dev login) for Plan & Credits; support signs in at /support/sign-in. */
@Path("/")
@Blocking
@Produces(MediaType.TEXT_HTML)
public class SignInResource {
    private final DevLogin devLogin;
    private final boolean secure;

    public SignInResource(DevLogin devLogin, @ConfigProperty(name = "tally.web.secure-cookies") boolean secure) {
        this.devLogin = devLogin;
        this.secure = secure;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(boolean devLogin, Session.Flash flash);
    }

    @GET
    public Response page(@Context HttpHeaders headers) {
        return Response.ok(Templates.signIn(devLogin.enabled(), Session.flash(headers))).cookie(Session.clear(Session.FLASH)).build();
    }

    @POST
    @Path("sign-in")
    public Response signIn(@RestForm String accountId, @RestForm String token) {
        String account = accountId == null ? "" : accountId.strip();
        String jwt = token == null ? "" : token.strip();
        if (account.isEmpty() && !jwt.isEmpty()) {
            account = Session.subject(jwt).orElse("");
        }
        if (account.isEmpty()) {
            return Session.redirect("/", false, "Name the account to sign in as.");
        }
        if (jwt.isEmpty()) {
            if (!devLogin.enabled()) {
                return Session.redirect("/", false, "Paste the account's token (dev login is off here).");
            }
            jwt = devLogin.account(account);
        }
        return Response.seeOther(URI.create("/plan")).cookie(Session.set(Session.ACCOUNT, account, secure),
                Session.set(Session.TOKEN, jwt, secure)).build();
    }

    @POST
    @Path("sign-out")
    public Response signOut() {
        return Response.seeOther(URI.create("/")).cookie(Session.clear(Session.ACCOUNT), Session.clear(Session.TOKEN),
                Session.clear(Session.SUPPORT)).build();
    }
}
