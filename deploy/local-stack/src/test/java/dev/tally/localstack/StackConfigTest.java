package dev.tally.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    @Test
    void embeddedDefaults() {
        StackConfig c = StackConfig.fromEnv(Map.of());
        assertFalse(c.externalPg());
        assertFalse(c.externalKafka());
        assertEquals(15432, c.pgPort());
        assertEquals("jdbc:postgresql://127.0.0.1:15432/tally_plans", c.jdbcUrl("tally_plans"));
        assertEquals("postgresql://127.0.0.1:15432/tally_plans", c.reactiveUrl("tally_plans"));
        assertEquals("postgres", c.pgUser());
        assertEquals("", c.pgPassword());
        assertEquals("127.0.0.1:19092", c.kafkaBootstrap());
        assertEquals(180, c.readyTimeoutSeconds());
        assertEquals(java.util.List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), c.serviceJvmOptions());
        assertEquals(java.util.List.of(), StackConfig.fromEnv(Map.of("TALLY_SERVICE_JAVA_OPTS", " ")).serviceJvmOptions());
    }

    @Test
    void skippedServices() {
        StackConfig c = StackConfig.fromEnv(Map.of("TALLY_SKIP", "plans-service, credits-service"));
        assertFalse(c.runs(TallyService.PLANS));
        assertFalse(c.runs(TallyService.CREDITS));
        assertTrue(c.runs(TallyService.SCHEDULER));
        assertTrue(StackConfig.fromEnv(Map.of()).runs(TallyService.PLANS));
    }

    @Test
    void embeddedPortFromEnv() {
        assertEquals("jdbc:postgresql://127.0.0.1:25432/x", StackConfig.fromEnv(Map.of("TALLY_PG_PORT", "25432")).jdbcUrl("x"));
    }

    @Test
    void externalPostgresAndKafka() {
        StackConfig c = StackConfig.fromEnv(Map.of("TALLY_PG_URL", "jdbc:postgresql://db.internal:6543/",
                "TALLY_PG_USER", "tally", "TALLY_PG_PASSWORD", "s3cret", "TALLY_KAFKA_BOOTSTRAP", "k1:9092,k2:9092"));
        assertTrue(c.externalPg());
        assertTrue(c.externalKafka());
        assertEquals("postgresql://db.internal:6543/tally_credits", c.reactiveUrl("tally_credits"));
        assertEquals("tally", c.pgUser());
        assertEquals("s3cret", c.pgPassword());
        assertEquals("k1:9092,k2:9092", c.kafkaBootstrap());
    }

    @Test
    void externalUrlForms() {
        assertEquals("h:5432", StackConfig.hostPort("jdbc:postgresql://h/postgres"));
        assertEquals("h:7", StackConfig.hostPort("jdbc:postgresql://h:7"));
        assertEquals("h:7", StackConfig.hostPort("jdbc:postgresql://h:7?sslmode=require"));
        assertThrows(IllegalArgumentException.class, () -> StackConfig.hostPort("postgresql://h:7/"));
    }

    @Test
    void servicesGetTheirOwnDatabaseAndTheDevKey() {
        StackConfig c = StackConfig.fromEnv(Map.of());
        Map<String, String> env = ServiceEnvironment.of(TallyService.CREDITS, c, Path.of("/k/jwt-public.pem"));
        assertEquals("8083", env.get("QUARKUS_HTTP_PORT"));
        assertEquals("jdbc:postgresql://127.0.0.1:15432/tally_credits", env.get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("/k/jwt-public.pem", env.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals("https://tally.local", env.get("MP_JWT_VERIFY_ISSUER"));
        assertFalse(env.containsKey("TALLY_DEMO_CATALOG"), "only plans-service loads the demo catalog");
        assertEquals("true", ServiceEnvironment.of(TallyService.PLANS, c, Path.of("/k")).get("TALLY_DEMO_CATALOG"));
    }

    @Test
    void theWebPagesGetTheFourServicesAndTheDevLoginKeyButNoDatabase() {
        Map<String, String> env = ServiceEnvironment.of(TallyService.WEB, StackConfig.fromEnv(Map.of()), Path.of("/k/jwt-public.pem"));
        assertEquals("8080", env.get("QUARKUS_HTTP_PORT"));
        assertEquals("http://127.0.0.1:8084", env.get("TALLY_SCHEDULER_URL"));
        assertEquals("http://127.0.0.1:8082", env.get("TALLY_SUBSCRIPTIONS_URL"));
        assertEquals("/k", env.get("TALLY_WEB_DEV_LOGIN_KEYS"));
        assertFalse(env.containsKey("QUARKUS_DATASOURCE_JDBC_URL"), "web owns no database");
    }
}
