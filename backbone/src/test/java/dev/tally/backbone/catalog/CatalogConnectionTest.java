package dev.tally.backbone.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogConnectionTest {

    private static PgConnectOptions options(Map<String, String> settings) {
        return CatalogConnection.options(name -> Optional.ofNullable(settings.get(name)));
    }

    @Test
    void theCatalogPoolConnectsWithTheDatasourcesTlsSettings() {
        PgConnectOptions o = options(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://db.internal:6432/tally_credits",
                "quarkus.datasource.username", "tally",
                "quarkus.datasource.password", "local-dev-only",
                "quarkus.datasource.reactive.cache-prepared-statements", "true",
                "quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/tally/db/ca.pem, /etc/tally/db/ca2.pem"));
        assertEquals("db.internal", o.getHost());
        assertEquals(6432, o.getPort());
        assertEquals("tally_credits", o.getDatabase());
        assertEquals("tally", o.getUser());
        assertEquals("local-dev-only", o.getPassword());
        assertTrue(o.getCachePreparedStatements());
        assertEquals(SslMode.VERIFY_FULL, o.getSslMode());
        assertEquals(List.of("/etc/tally/db/ca.pem", "/etc/tally/db/ca2.pem"), o.getPemTrustOptions().getCertPaths());
        assertEquals("HTTPS", o.getHostnameVerificationAlgorithm());
        assertFalse(o.isTrustAll());
    }

    @Test
    void withoutTlsSettingsItConnectsAsTheUrlSays() {
        PgConnectOptions o = options(Map.of("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:15432/tally_plans?sslmode=require"));
        assertEquals(SslMode.REQUIRE, o.getSslMode());
        assertFalse(o.getCachePreparedStatements());
        assertEquals("tally_plans", o.getDatabase());
    }
}
