package dev.tally.backbone.auth;

import dev.tally.backbone.problem.Problem;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Keeps an {@code account} token on its own account: any route with an {@code {accountId}} path
 * parameter answers 403 when the token's subject is another account. {@code service} and
 * {@code admin} tokens may act on any account. Who may call a route at all is {@code @RolesAllowed}.
 */
public class AccountScope {
    private final CurrentIdentityAssociation identities;

    public AccountScope(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<Response> keepAccountTokensOnTheirAccount(UriInfo uri) {
        String accountId = uri.getPathParameters().getFirst("accountId");
        if (accountId == null) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().map(identity -> allowed(identity, accountId) ? null
                : Response.status(403).type(Problem.MEDIA_TYPE)
                        .entity(Problem.of(403, "account_mismatch", "This token may act only on its own account."))
                        .build());
    }

    private static boolean allowed(SecurityIdentity identity, String accountId) {
        if (identity.isAnonymous() || identity.hasRole(Roles.SERVICE) || identity.hasRole(Roles.ADMIN)) {
            return true; // anonymous callers are turned away by @RolesAllowed with a 401
        }
        return identity.hasRole(Roles.ACCOUNT) && accountId.equals(identity.getPrincipal().getName());
    }
}
