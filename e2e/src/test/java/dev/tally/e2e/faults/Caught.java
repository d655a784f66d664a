package dev.tally.e2e.faults;

import dev.tally.e2e.Suite.Service;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Whether the suite has caught up: no unsent outbox row in any database, no consumer group behind its topic's end. */
final class Caught {
    private Caught() {
    }

    /** What is still behind, empty when everything was published and consumed. */
    static List<String> behind(FaultStack stack) {
        List<String> out = new ArrayList<>();
        for (Service s : Service.values()) {
            try (Connection c = stack.database(s); ResultSet rs = c.createStatement()
                    .executeQuery("SELECT count(*) FROM outbox_event WHERE sent_at IS NULL")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    out.add(s.module() + ": " + rs.getLong(1) + " outbox rows unsent");
                }
            } catch (Exception e) {
                out.add(s.module() + ": outbox unreadable (" + e.getMessage() + ")");
            }
        }
        try (Admin admin = stack.admin()) {
            for (ConsumerGroupListing g : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(g.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                long lag = 0;
                for (var e : committed.entrySet()) {
                    if (e.getValue() != null) {
                        lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                    }
                }
                if (lag > 0) {
                    out.add("consumer group " + g.groupId() + ": " + lag + " records behind");
                }
            }
        } catch (Exception e) {
            out.add("consumer lag unreadable (" + e + ")");
        }
        return out;
    }
}
