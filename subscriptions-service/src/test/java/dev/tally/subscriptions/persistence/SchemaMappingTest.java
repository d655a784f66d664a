package dev.tally.subscriptions.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.subscriptions.NeighboursStub;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.hibernate.metamodel.MappingMetamodel;
import org.hibernate.persister.entity.EntityPersister;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.type.SqlTypes;
import org.junit.jupiter.api.Test;

/**
 * Flyway owns the schema and Hibernate never changes it, so every entity mapping is checked here
 * against the migrated database: each mapped column exists with a matching type and the same
 * nullability, and each column of a mapped table is mapped (an entity stands for its whole row).
 */
@QuarkusTest
@TestProfile(NeighboursStub.class)
class SchemaMappingTest {
    /** The PostgreSQL types (information_schema's data_type) a JDBC type code may be stored as. */
    private static final Map<Integer, Set<String>> STORED_AS = Map.of(
            SqlTypes.VARCHAR, Set.of("text", "character varying"),
            SqlTypes.BIGINT, Set.of("bigint"),
            SqlTypes.INTEGER, Set.of("integer"),
            SqlTypes.BOOLEAN, Set.of("boolean"),
            SqlTypes.UUID, Set.of("uuid"),
            SqlTypes.TIMESTAMP_UTC, Set.of("timestamp with time zone"),
            SqlTypes.TIMESTAMP_WITH_TIMEZONE, Set.of("timestamp with time zone"),
            SqlTypes.JSON, Set.of("jsonb", "json"));

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    Pool pool;

    private record Column(String type, boolean nullable) {
    }

    @Test
    void everyEntityMapsItsTableAsFlywayMigratedIt() {
        MappingMetamodel model = (MappingMetamodel) sessions.getMetamodel();
        List<String> problems = new ArrayList<>();
        Set<String> tables = new TreeSet<>();
        model.forEachEntityDescriptor(entity -> problems.addAll(check(entity, tables)));
        assertTrue(tables.containsAll(Set.of("account_contact", "charge", "notification", "sales_inquiry", "subscription",
                "subscription_history", "change_preview", "topup_purchase", "stripe_customer", "stripe_subscription", "checkout_session",
                "stripe_event", "usage_bill", "auto_topup_payment")), "the entities checked: " + tables);
        assertEquals(List.of(), problems, "entity mappings that do not match the migrated schema");
    }

    private List<String> check(EntityPersister entity, Set<String> tables) {
        String table = entity.getIdentifierTableName();
        tables.add(table);
        Map<String, Column> stored = columns(table);
        List<String> problems = new ArrayList<>();
        if (stored.isEmpty()) {
            return List.of(entity.getEntityName() + ": no table " + table);
        }
        Set<String> mapped = new HashSet<>();
        org.hibernate.metamodel.mapping.SelectableConsumer checkColumn = (i, selectable) -> {
            String name = selectable.getSelectionExpression();
            mapped.add(name);
            Column column = stored.get(name);
            String where = entity.getEntityName() + " " + table + "." + name;
            if (column == null) {
                problems.add(where + ": no such column");
                return;
            }
            int code = selectable.getJdbcMapping().getJdbcType().getDefaultSqlTypeCode();
            if (!STORED_AS.getOrDefault(code, Set.of()).contains(column.type())) {
                problems.add(where + ": mapped as JDBC type " + code + ", stored as " + column.type());
            }
            if (selectable.isNullable() != column.nullable()) {
                problems.add(where + ": mapped " + (selectable.isNullable() ? "nullable" : "not null") + ", stored "
                        + (column.nullable() ? "nullable" : "not null"));
            }
        };
        entity.getIdentifierMapping().forEachSelectable(checkColumn);
        entity.forEachSelectable(checkColumn);
        stored.keySet().stream().filter(c -> !mapped.contains(c)).sorted()
                .forEach(c -> problems.add(entity.getEntityName() + " " + table + "." + c + ": stored, not mapped"));
        return problems;
    }

    private Map<String, Column> columns(String table) {
        Map<String, Column> found = new HashMap<>();
        pool.preparedQuery("SELECT column_name, data_type, is_nullable FROM information_schema.columns "
                        + "WHERE table_schema = current_schema() AND table_name = $1")
                .execute(Tuple.of(table)).await().indefinitely()
                .forEach(r -> found.put(r.getString(0), new Column(r.getString(1), "YES".equals(r.getString(2)))));
        return found;
    }
}
