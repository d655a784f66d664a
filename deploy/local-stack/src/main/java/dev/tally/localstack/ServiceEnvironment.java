package dev.tally.localstack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment a service is started with: it overrides the service's application.properties
 * defaults (Quarkus maps QUARKUS_HTTP_PORT to quarkus.http.port, and so on), so the same jar runs
 * here and in Kubernetes with nothing but environment variables changed.
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    public static Map<String, String> of(TallyService service, StackConfig config, Path publicKeyPem) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(service.port()));
        if (service == TallyService.WEB) {
            return web(env, publicKeyPem);
        }
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", config.reactiveUrl(service.database()));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", config.jdbcUrl(service.database()));
        env.put("QUARKUS_DATASOURCE_USERNAME", config.pgUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", config.pgPassword());
        env.put("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap());
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKeyPem.toAbsolutePath().toString());
        env.put("MP_JWT_VERIFY_ISSUER", DevTokens.ISSUER);
        env.put("TALLY_CLOCK_ADJUSTABLE", "true"); // lets demos fast-forward renewals via /admin/clock
        env.put("QUARKUS_MAILER_MOCK", "true");
        env.put("TALLY_PLANS_URL", TallyService.PLANS.baseUrl());
        env.put("TALLY_SUBSCRIPTIONS_URL", TallyService.SUBSCRIPTIONS.baseUrl());
        env.put("TALLY_CREDITS_URL", TallyService.CREDITS.baseUrl());
        if (service == TallyService.PLANS) {
            env.put("TALLY_DEMO_CATALOG", "true"); // the free-to-paid demo catalog
        }
        return env;
    }

    /** The web pages call the four services and sign in with the dev key (the dev login); no database, no broker. */
    private static Map<String, String> web(Map<String, String> env, Path publicKeyPem) {
        env.put("TALLY_PLANS_URL", TallyService.PLANS.baseUrl());
        env.put("TALLY_SUBSCRIPTIONS_URL", TallyService.SUBSCRIPTIONS.baseUrl());
        env.put("TALLY_CREDITS_URL", TallyService.CREDITS.baseUrl());
        env.put("TALLY_SCHEDULER_URL", TallyService.SCHEDULER.baseUrl());
        env.put("TALLY_WEB_DEV_LOGIN_KEYS", publicKeyPem.toAbsolutePath().getParent().toString());
        env.put("TALLY_WEB_PUBLIC_URL", TallyService.WEB.baseUrl());
        // TALLY_PAYMENTS_PROVIDER is inherited from ./tally up's environment, as subscriptions-service inherits it
        return env;
    }
}
