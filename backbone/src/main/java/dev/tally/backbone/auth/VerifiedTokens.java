package dev.tally.backbone.auth;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Bearer tokens verified once, not on every request. The product's backend calls the debit API on
 * every generation with the same service token, and checking its RSA signature each time was the
 * largest single cost of a debit. A token is kept by its exact text (header, claims and signature:
 * any other text is verified afresh) after it verified, and only until its own {@code exp}, which
 * is stricter than the verifier's clock skew. The cache is bounded ({@code
 * tally.auth.verified-tokens}, 0 turns it off) and emptied when full.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {
    private final DefaultJWTParser verifier;
    private final int capacity;
    private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    public VerifiedTokens(DefaultJWTParser verifier,
                          @ConfigProperty(name = "tally.auth.verified-tokens", defaultValue = "10000") int capacity) {
        this.verifier = verifier;
        this.capacity = capacity;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.get(token);
        if (known != null && System.currentTimeMillis() / 1000 < known.getExpirationTime()) {
            return known;
        }
        verified.remove(token);
        JsonWebToken fresh = verifier.parse(token);
        if (capacity > 0 && fresh.getExpirationTime() > 0) {
            if (verified.size() >= capacity) {
                verified.clear();
            }
            verified.put(token, fresh);
        }
        return fresh;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }
}
