package dev.tally.backbone.outbox;

import static org.awaitility.Awaitility.await;

import dev.tally.contracts.Topics;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the relay tests: the service's relay is stopped and one of the test's own, over a
 * {@link FlakyBroker}, takes its place for each test; outbox rows are committed and counted straight
 * in the table.
 */
abstract class OwnRelayTest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    OutboxConfig config;
    @Inject
    OutboxRelay serviceRelay;

    final FlakyBroker broker = new FlakyBroker();
    OutboxRelay relay;

    /** The test's relay, built once the service's has stopped. */
    abstract OutboxRelay newRelay();

    @BeforeEach
    void onlyThisRelayPublishes() {
        await().atMost(Duration.ofSeconds(30)).until(() -> unsent() == 0); // what other tests wrote goes out first
        serviceRelay.stop();
        relay = newRelay();
    }

    @AfterEach
    void serviceRelayBack() {
        relay.stop();
        serviceRelay.start();
    }

    /** Commits one row per key (acc-b's on the credits topic, the others' on billing commands); their ids in order. */
    List<String> commit(String... keys) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             var insert = c.prepareStatement("INSERT INTO outbox_event (id, topic, message_key, type, subject, payload, occurred_at) "
                     + "VALUES (?::uuid, ?, ?, 'test.noted', ?, '{}'::jsonb, clock_timestamp())")) {
            for (String key : keys) {
                String id = UUID.randomUUID().toString();
                insert.setString(1, id);
                insert.setString(2, key.equals("acc-b") ? Topics.CREDITS : Topics.BILLING_COMMANDS);
                insert.setString(3, key);
                insert.setString(4, key);
                insert.executeUpdate();
                ids.add(id);
            }
        }
        return ids;
    }

    long unsent() throws SQLException {
        try (Connection c = dataSource.getConnection(); var rs = c.createStatement()
                .executeQuery("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
