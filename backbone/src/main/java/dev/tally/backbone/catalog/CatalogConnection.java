package dev.tally.backbone.catalog;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the catalog's own pool connects: to the service's database with the service datasource's
 * settings (URL, user, password, prepared statement cache, and TLS: ssl-mode, trust-all, trusted
 * PEM certificates, hostname verification), read from the same {@code quarkus.datasource.*}
 * properties, so a database that requires TLS needs nothing configured twice.
 */
final class CatalogConnection {
    private static final String DS = "quarkus.datasource.";

    private CatalogConnection() {
    }

    static PgConnectOptions options(Function<String, Optional<String>> setting) {
        String url = setting.apply(DS + "reactive.url")
                .orElseThrow(() -> new IllegalStateException(DS + "reactive.url is not set")).split(",")[0].trim();
        PgConnectOptions options = PgConnectOptions.fromUri(url);
        setting.apply(DS + "username").ifPresent(options::setUser);
        setting.apply(DS + "password").ifPresent(options::setPassword);
        options.setCachePreparedStatements(flag(setting, DS + "reactive.cache-prepared-statements"));
        setting.apply(DS + "reactive.postgresql.ssl-mode").ifPresent(mode -> options.setSslMode(SslMode.of(mode)));
        options.setTrustAll(flag(setting, DS + "reactive.trust-all"));
        setting.apply(DS + "reactive.trust-certificate-pem.certs").ifPresent(certs -> {
            PemTrustOptions pem = new PemTrustOptions();
            Arrays.stream(certs.split(",")).map(String::trim).filter(c -> !c.isEmpty()).forEach(pem::addCertPath);
            options.setPemTrustOptions(pem);
        });
        // Quarkus' default for its own pool; needed for ssl-mode verify-full
        options.setHostnameVerificationAlgorithm(setting.apply(DS + "reactive.hostname-verification-algorithm").orElse("HTTPS"));
        return options;
    }

    private static boolean flag(Function<String, Optional<String>> setting, String name) {
        return setting.apply(name).map(Boolean::parseBoolean).orElse(false);
    }
}
