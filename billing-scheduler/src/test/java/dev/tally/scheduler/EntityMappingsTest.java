package dev.tally.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.backbone.tx.MappedSchema;
import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/** Every column the Panache entities map fits the schema Flyway migrated. */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class EntityMappingsTest {
    @Inject
    Mutiny.SessionFactory factory;
    @Inject
    Pool pool;

    @Test
    void everyMappedColumnOfTheTimersFitsTheMigratedSchema() {
        MappedSchema.Report report = MappedSchema.check(factory, pool).await().atMost(Duration.ofSeconds(30));
        assertTrue(report.columns().containsAll(List.of("timer.id", "timer.subscription_id", "timer.due_at", "timer.claim_expires")),
                report.columns().toString());
        assertEquals(List.of(), report.problems());
    }
}
