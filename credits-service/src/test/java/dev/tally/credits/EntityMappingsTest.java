package dev.tally.credits;

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
    void everyMappedColumnOfTheHoldsAndUsageClosesFitsTheMigratedSchema() {
        MappedSchema.Report report = MappedSchema.check(factory, pool).await().atMost(Duration.ofSeconds(30));
        assertTrue(report.columns().containsAll(List.of("credit_hold.id", "credit_hold.credits", "credit_hold.expires_at", "credit_hold.created_at",
                        "usage_close.subscription_id", "usage_close.period_end", "usage_close.overage_credits", "usage_close.currency",
                        "usage_close.closed_at")), report.columns().toString());
        assertEquals(List.of(), report.problems());
    }
}
