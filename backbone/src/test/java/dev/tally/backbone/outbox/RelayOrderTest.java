package dev.tally.backbone.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The relay against the real outbox table and a producer that fails chosen sends: whatever fails,
 * the first copy of each row in the log comes after every earlier row of its key.
 */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class RelayOrderTest extends OwnRelayTest {

    @Override
    OutboxRelay newRelay() {
        return new OutboxRelay(dataSource, waitingOneSecond(config), Map.of(), "relay-order-test", broker::producer);
    }

    @Test
    void aRowRefusedAtOnceIsNotOvertakenByTheRowsAfterIt() throws Exception {
        List<String> ids = commit("acc-a", "acc-a", "acc-b", "acc-a");
        broker.refuseAtOnce(ids.get(1)); // a send waited max.block.ms for metadata; the broker is back for the next ones
        publishAll();
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(3)), firstCopiesOf(ids, 0, 1, 3), "acc-a's rows in commit order");
        assertEquals(ids, broker.copies, "the rows before the refused one are acked, marked and not sent again");
    }

    @Test
    void aRowWithoutAnAckIsNotOvertakenByTheRowsAfterIt() throws Exception {
        List<String> ids = commit("acc-a", "acc-a", "acc-b", "acc-a");
        broker.stall(ids.get(1)); // no answer for it while the rows behind it sit in the producer
        publishAll();
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(3)), firstCopiesOf(ids, 0, 1, 3), "acc-a's rows in commit order");
        assertEquals(2, broker.producersCreated, "the failed producer was discarded and a new one built");
    }

    @Test
    void aBatchThatGoesOutWholeUsesOneProducer() throws Exception {
        List<String> ids = commit("acc-a", "acc-b", "acc-a", "acc-c", "acc-b");
        assertEquals(5, relay.publishBatch());
        assertEquals(ids, broker.copies);
        assertEquals(0, unsent());
        assertEquals(1, broker.producersCreated);
    }

    /** The service's outbox settings, but a batch waits one second for its acks. */
    private static OutboxConfig waitingOneSecond(OutboxConfig config) {
        return (OutboxConfig) java.lang.reflect.Proxy.newProxyInstance(OutboxConfig.class.getClassLoader(),
                new Class<?>[] {OutboxConfig.class}, (proxy, method, args) ->
                        method.getName().equals("sendTimeout") ? Duration.ofSeconds(1) : method.invoke(config, args));
    }

    /** The rows at these positions of {@code ids}, in the order their first copies reached the log. */
    private List<String> firstCopiesOf(List<String> ids, int... positions) {
        List<String> wanted = java.util.Arrays.stream(positions).mapToObj(ids::get).toList();
        return broker.log.stream().filter(wanted::contains).toList();
    }

    /** Runs batches as the relay's loop does, until every row is marked sent. */
    private void publishAll() throws Exception {
        for (int attempt = 0; attempt < 10 && unsent() > 0; attempt++) {
            try {
                relay.publishBatch();
            } catch (Exception e) {
                // the loop backs off and runs the next batch
            }
        }
        assertEquals(0, unsent(), "every row published in the end");
    }
}
