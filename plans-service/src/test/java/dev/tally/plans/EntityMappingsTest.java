package dev.tally.plans;

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

/** Every column the Panache entities map fits the schema Flyway migrated (Flyway owns it; Hibernate never changes it). */
@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class EntityMappingsTest {
    @Inject
    Mutiny.SessionFactory factory;
    @Inject
    Pool pool;

    @Test
    void everyMappedColumnOfTheCatalogFitsTheMigratedSchema() {
        MappedSchema.Report report = MappedSchema.check(factory, pool).await().atMost(Duration.ofSeconds(30));
        assertTrue(report.columns().containsAll(List.of("plan.draft", "plan_version.snapshot", "plan_version.billing_mode",
                "credit_pack.snapshot", "change_policy_override.allowed", "change_policy_version.version")), report.columns().toString());
        assertEquals(List.of(), report.problems());
    }
}
