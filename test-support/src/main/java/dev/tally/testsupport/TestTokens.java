package dev.tally.testsupport;

import dev.tally.localstack.DevKeys;
import dev.tally.localstack.DevTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Bearer tokens for tests, signed exactly as {@code ./tally token} signs them. */
public final class TestTokens {
    private static DevKeys keys;

    private TestTokens() {
    }

    static synchronized DevKeys keys() {
        if (keys == null) {
            keys = DevKeys.loadOrCreate(Path.of(System.getProperty("java.io.tmpdir"), "tally-test-keys"));
        }
        return keys;
    }

    /** Where the public key that verifies these tokens is, for services started as processes. */
    public static java.nio.file.Path publicKeyPem() {
        return keys().publicKeyPem();
    }

    public static String account(String accountId) {
        return DevTokens.mint(keys().privateKey(), accountId, List.of("account"), Duration.ofHours(1));
    }

    /** An account token that expired five minutes ago (beyond any clock skew). */
    public static String expired(String accountId) {
        return DevTokens.mint(keys().privateKey(), accountId, List.of("account"), Duration.ofMinutes(-5));
    }

    public static String service() {
        return DevTokens.mint(keys().privateKey(), "product-backend", List.of("service"), Duration.ofHours(1));
    }

    public static String admin() {
        return DevTokens.mint(keys().privateKey(), "ops", List.of("admin"), Duration.ofHours(1));
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
