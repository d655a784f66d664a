package dev.tally.backbone.tx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.testsupport.TallyInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = TallyInfraResource.class, restrictToAnnotatedClass = false)
class MappedSchemaTest {
    @Inject
    Mutiny.SessionFactory factory;
    @Inject
    Pool pool;

    @Test
    void aWrongTypeAMissingColumnAndANullableMappingOfANotNullColumnAreEachFoundAndTheRightMappingPasses() {
        MappedSchema.Report report = MappedSchema.check(factory, pool).await().atMost(Duration.ofSeconds(30));
        assertTrue(report.columns().containsAll(List.of("note.id", "note.account_id", "note.text", "note.amount", "note.colour")),
                report.columns().toString());
        List<String> problems = report.problems().stream().sorted().toList();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("dev.tally.backbone.WrongNoteEntity: column note.amount is integer, mapped as JDBC type 12"),
                problems.get(0));
        assertTrue(problems.get(1).startsWith("dev.tally.backbone.WrongNoteEntity: column note.text is NOT NULL, mapped as nullable"),
                problems.get(1));
        assertEquals("dev.tally.backbone.WrongNoteEntity: no column note.colour in the migrated schema", problems.get(2));
    }

    @Test
    void aColumnOfItsTableAnEntityDoesNotMapIsADifferenceAndTheEntityMappingTheWholeRowHasNone() {
        MappedSchema.Report report = MappedSchema.check(factory, pool).await().atMost(Duration.ofSeconds(30));
        assertEquals(List.of("dev.tally.backbone.WrongNoteEntity: column note.account_id is not mapped"), report.differences());
        assertTrue(report.tables().contains("note"), report.tables().toString());
    }
}
