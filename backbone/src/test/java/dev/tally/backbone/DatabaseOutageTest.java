package dev.tally.backbone;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.backbone.problem.DatabaseTrouble;
import dev.tally.testsupport.TallyInfraResource;
import dev.tally.testsupport.TestPostgres;
import dev.tally.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class DatabaseOutageTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    io.vertx.core.Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private static Response post(String acc, String key) {
        return given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body("{\"text\":\"while down\",\"amount\":1}").post("/accounts/{id}/notes", acc);
    }

    @Test
    void whileTheDatabaseRefusesConnectionsRequestsAre503WithRetryAfterAndTheServiceRecovers() throws Exception {
        assumeTrue(TestPostgres.get().isEmbedded(), "takes the service's database away");
        String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        String acc = "acc-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        try (Connection admin = DriverManager.getConnection(TestPostgres.get().jdbcUrl("postgres"),
                TestPostgres.get().user(), TestPostgres.get().password())) {
            try {
                admin.createStatement().execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                admin.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + database + "' AND pid <> pg_backend_pid()");
                for (int i = 0; i < 3; i++) { // the pool's connections were cut, and new ones are refused
                    post(acc, key).then().statusCode(503).contentType("application/problem+json")
                            .header("Retry-After", "2").body("code", equalTo("database_unavailable"));
                }
                given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/notes", acc)
                        .then().statusCode(503).header("Retry-After", "2").body("code", equalTo("database_unavailable"));
            } finally {
                admin.createStatement().execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
        }
        // the client retries with the same key once the database is back: applied once
        await().atMost(Duration.ofSeconds(30)).until(() -> post(acc, key).statusCode() == 201);
        post(acc, key).then().statusCode(201).header("Idempotent-Replayed", "true");
        given().header("Authorization", TestTokens.bearer(TestTokens.account(acc))).get("/accounts/{id}/notes", acc)
                .then().statusCode(200).body("$", hasSize(1));
    }

    @Test
    void aRefusedConnectionIsTheDatabaseUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closedPort)
                .setUser("postgres").setDatabase("nowhere")).using(vertx).build();
        try {
            var failure = assertThrows(ExecutionException.class, () -> pool.query("SELECT 1").execute()
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertEquals(DatabaseTrouble.UNAVAILABLE, DatabaseTrouble.of(failure.getCause()), failure.getCause().toString());
        } finally {
            pool.close();
        }
    }

    @Test
    void aSerializationFailureIsATransientConflict() throws Exception {
        try (Connection a = dataSource.getConnection(); Connection b = dataSource.getConnection()) {
            for (Connection c : new Connection[] {a, b}) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.createStatement().executeQuery("SELECT count(*) FROM note WHERE account_id = 'acc-serial'").close();
            }
            a.createStatement().execute("INSERT INTO note (account_id, text, amount) VALUES ('acc-serial', 'a', 1)");
            b.createStatement().execute("INSERT INTO note (account_id, text, amount) VALUES ('acc-serial', 'b', 1)");
            a.commit();
            SQLException lost = assertThrows(SQLException.class, b::commit);
            b.rollback();
            assertEquals("40001", lost.getSQLState());
            assertEquals(DatabaseTrouble.TRANSIENT_CONFLICT, DatabaseTrouble.of(new RuntimeException(lost)));
        }
    }
}
