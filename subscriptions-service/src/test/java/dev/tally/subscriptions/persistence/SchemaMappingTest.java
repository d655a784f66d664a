package dev.tally.subscriptions.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.backbone.tx.MappedSchema;
import dev.tally.subscriptions.NeighboursStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Flyway owns the schema and Hibernate never changes it, so every entity mapping is checked here
 * against the migrated database (backbone's MappedSchema): each mapped column exists with a matching
 * type and the same nullability, and each column of a mapped table is mapped (an entity stands for its whole row).
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class SchemaMappingTest {
    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Pool pool;

    @Test
    void everyEntityMapsItsTableAsFlywayMigratedIt() {
        MappedSchema.Report report = MappedSchema.check(sessions, pool).await().atMost(Duration.ofSeconds(30));
        assertTrue(report.tables().containsAll(Set.of("account_contact", "charge", "notification", "sales_inquiry", "subscription",
                "subscription_history", "change_preview", "topup_purchase", "stripe_customer", "stripe_subscription", "checkout_session",
                "stripe_event", "usage_bill", "auto_topup_payment")), "the entities checked: " + report.tables());
        assertEquals(List.of(), report.problems(), "entity mappings that do not match the migrated schema");
        assertEquals(List.of(), report.differences(), "entities that do not stand for their whole row as the table has it");
    }
}
