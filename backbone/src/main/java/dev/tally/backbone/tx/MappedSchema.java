package dev.tally.backbone.tx;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hibernate.metamodel.MappingMetamodel;
import org.hibernate.metamodel.mapping.SelectableMapping;
import org.hibernate.metamodel.model.domain.spi.JpaMetamodelImplementor;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.type.SqlTypes;

/**
 * Checks every column the Panache entities map against the schema Flyway migrated: the table and
 * column exist, the column's type is one the mapping's JDBC type reads and writes, and a column the
 * database requires (NOT NULL, no default) is not mapped as nullable. Hibernate's own validator cannot
 * do this under Hibernate Reactive (it reads every column's type code as NULL), so each service's
 * mapping test calls this and fails on any problem it lists. A test that wants each entity to stand for
 * its whole row, as the table has it, also fails on the {@link Report#differences differences}.
 */
public final class MappedSchema {
    private static final Map<Integer, Set<String>> COMPATIBLE = new HashMap<>();

    static {
        Set<String> text = Set.of("text", "character varying", "character");
        for (int code : new int[] {SqlTypes.VARCHAR, SqlTypes.LONGVARCHAR, SqlTypes.LONG32VARCHAR, SqlTypes.CHAR, SqlTypes.NVARCHAR}) {
            COMPATIBLE.put(code, text);
        }
        COMPATIBLE.put(SqlTypes.INTEGER, Set.of("integer"));
        COMPATIBLE.put(SqlTypes.SMALLINT, Set.of("smallint"));
        COMPATIBLE.put(SqlTypes.BIGINT, Set.of("bigint"));
        COMPATIBLE.put(SqlTypes.BOOLEAN, Set.of("boolean"));
        COMPATIBLE.put(SqlTypes.BIT, Set.of("boolean"));
        COMPATIBLE.put(SqlTypes.TIMESTAMP_UTC, Set.of("timestamp with time zone"));
        COMPATIBLE.put(SqlTypes.TIMESTAMP_WITH_TIMEZONE, Set.of("timestamp with time zone"));
        COMPATIBLE.put(SqlTypes.TIMESTAMP, Set.of("timestamp without time zone"));
        COMPATIBLE.put(SqlTypes.DATE, Set.of("date"));
        COMPATIBLE.put(SqlTypes.JSON, Set.of("jsonb", "json"));
        COMPATIBLE.put(SqlTypes.UUID, Set.of("uuid"));
        COMPATIBLE.put(SqlTypes.NUMERIC, Set.of("numeric"));
        COMPATIBLE.put(SqlTypes.DECIMAL, Set.of("numeric"));
        COMPATIBLE.put(SqlTypes.DOUBLE, Set.of("double precision"));
        COMPATIBLE.put(SqlTypes.ARRAY, Set.of("ARRAY"));
    }

    private MappedSchema() {
    }

    /**
     * What was checked: every mapped column, by "table.column"; each problem found, one line each (a
     * mapping that cannot work: none when all fit); and each difference between an entity and its
     * table that still works: a column of its table it does not map, a nullability other than the
     * column's (mapped nullable where a default fills it, or NOT NULL where the table allows NULL).
     */
    public record Report(Set<String> columns, List<String> problems, List<String> differences) {
        /** The tables the entities map. */
        public Set<String> tables() {
            return columns.stream().map(c -> c.substring(0, c.indexOf('.'))).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    public static Uni<Report> check(Mutiny.SessionFactory factory, Pool pool) {
        List<Mapped> mapped = mappedColumns(factory);
        return pool.query("SELECT table_name, column_name, data_type, is_nullable = 'YES', column_default IS NOT NULL "
                        + "FROM information_schema.columns WHERE table_schema = current_schema()").execute()
                .map(rows -> {
                    Map<String, Object[]> actual = new HashMap<>();
                    rows.forEach(r -> actual.put(r.getString(0) + "." + r.getString(1),
                            new Object[] {r.getString(2), r.getBoolean(3), r.getBoolean(4)}));
                    List<String> problems = new ArrayList<>();
                    List<String> differences = new ArrayList<>();
                    mapped.forEach(m -> {
                        String column = m.column;
                        Object[] found = actual.get(column);
                        if (found == null) {
                            problems.add(m.entity + ": no column " + column + " in the migrated schema");
                            return;
                        }
                        Set<String> fits = COMPATIBLE.getOrDefault(m.sqlType, Set.of());
                        if (!fits.contains((String) found[0])) {
                            problems.add(m.entity + ": column " + column + " is " + found[0] + ", mapped as JDBC type "
                                    + m.sqlType + " (" + m.javaType + ") which reads and writes " + fits);
                        }
                        if (m.nullable && !(Boolean) found[1] && !(Boolean) found[2] && !m.id) {
                            problems.add(m.entity + ": column " + column + " is NOT NULL, mapped as nullable");
                        } else if (m.nullable != (Boolean) found[1] && !m.id) {
                            differences.add(m.entity + ": column " + column + " is " + ((Boolean) found[1] ? "nullable, mapped NOT NULL"
                                    : "NOT NULL (with a default), mapped as nullable"));
                        }
                    });
                    differences.addAll(unmapped(mapped, actual.keySet()));
                    return new Report(mapped.stream().map(Mapped::column).collect(java.util.stream.Collectors.toSet()), problems, differences);
                });
    }

    /** The columns of each entity's tables that it does not map, in order. */
    private static List<String> unmapped(List<Mapped> mapped, Set<String> actual) {
        Map<String, Set<String>> byEntity = new LinkedHashMap<>();
        mapped.forEach(m -> byEntity.computeIfAbsent(m.entity, e -> new java.util.HashSet<>()).add(m.column));
        List<String> out = new ArrayList<>();
        byEntity.forEach((entity, columns) -> {
            Set<String> tables = columns.stream().map(c -> c.substring(0, c.indexOf('.') + 1)).collect(java.util.stream.Collectors.toSet());
            actual.stream().filter(c -> tables.contains(c.substring(0, c.indexOf('.') + 1)) && !columns.contains(c)).sorted()
                    .forEach(c -> out.add(entity + ": column " + c + " is not mapped"));
        });
        return out;
    }

    private record Mapped(String entity, String column, String javaType, int sqlType, boolean nullable, boolean id) {
    }

    private static List<Mapped> mappedColumns(Mutiny.SessionFactory factory) {
        var metamodel = factory.getMetamodel() instanceof MappingMetamodel m ? m
                : ((JpaMetamodelImplementor) factory.getMetamodel()).getMappingMetamodel();
        Map<String, Mapped> out = new LinkedHashMap<>();
        metamodel.forEachEntityDescriptor(persister -> {
            String entity = persister.getEntityName();
            persister.getIdentifierMapping().forEachSelectable((i, s) -> out.put(entity + " " + key(s), mapped(entity, s, true)));
            persister.forEachSelectable((i, s) -> out.putIfAbsent(entity + " " + key(s), mapped(entity, s, false)));
        });
        return List.copyOf(out.values());
    }

    private static String key(SelectableMapping s) {
        return s.getContainingTableExpression() + "." + s.getSelectionExpression();
    }

    private static Mapped mapped(String entity, SelectableMapping s, boolean id) {
        return new Mapped(entity, key(s), s.getJdbcMapping().getJavaTypeDescriptor().getTypeName(),
                s.getJdbcMapping().getJdbcType().getDefaultSqlTypeCode(), s.isNullable(), id);
    }
}
