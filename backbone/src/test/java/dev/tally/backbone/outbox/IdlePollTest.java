package dev.tally.backbone.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testsupport.TallyInfraResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The relay's idle poll is one statement outside a transaction: no BEGIN, no advisory lock, until a
 * row waits; then the batch runs as always, in its transaction under the lock.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class IdlePollTest extends OwnRelayTest {
    private static final String LOOK = "SELECT 1 FROM outbox_event WHERE sent_at IS NULL LIMIT 1";

    /** What the relay sent the database: each statement it prepared, and "BEGIN" for each transaction it opened. */
    private final List<String> said = new CopyOnWriteArrayList<>();

    @Override
    OutboxRelay newRelay() {
        return new OutboxRelay(recording(dataSource), config, Map.of(), "idle-poll-test", broker::producer);
    }

    @Test
    void anIdleRelayPollsWithOneStatementAndNeitherATransactionNorTheLockThenSendsWhatIsCommitted() throws Exception {
        relay.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> said.size() >= 10); // ten polls at least (10 ms apart)
        List<String> idle = List.copyOf(said);
        assertEquals(List.of(LOOK), idle.stream().filter(s -> !s.startsWith("DELETE FROM outbox_event")).distinct().toList(),
                "an idle poll says nothing but the look (the minute's purge of sent rows aside)");

        String id = commit("acc-idle").get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> copies().contains(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> unsent() == 0);
        relay.stop();
        List<String> busy = said.subList(idle.size(), said.size());
        assertTrue(busy.contains("BEGIN"), busy.toString());
        assertTrue(busy.stream().anyMatch(s -> s.contains("pg_try_advisory_xact_lock")), "the batch took the lock: " + busy);
        assertTrue(busy.stream().anyMatch(s -> s.startsWith("UPDATE outbox_event SET sent_at")), "and marked the row: " + busy);
        assertEquals(List.of(id), copies(), "sent once");
    }

    private List<String> copies() {
        synchronized (broker) {
            return List.copyOf(broker.copies);
        }
    }

    /** The data source, its connections telling {@link #said} what they are asked. */
    private AgroalDataSource recording(AgroalDataSource real) {
        return (AgroalDataSource) Proxy.newProxyInstance(AgroalDataSource.class.getClassLoader(), new Class<?>[] {AgroalDataSource.class},
                (proxy, method, args) -> {
                    Object out = call(real, method, args);
                    return method.getName().equals("getConnection") ? recording((Connection) out) : out;
                });
    }

    private Connection recording(Connection real) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement")) {
                said.add((String) args[0]);
            } else if (method.getName().equals("setAutoCommit") && Boolean.FALSE.equals(args[0]) && real.getAutoCommit()) {
                said.add("BEGIN");
            }
            return call(real, method, args);
        };
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private static Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
