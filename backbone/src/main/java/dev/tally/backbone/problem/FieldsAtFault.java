package dev.tally.backbone.problem;

import io.smallrye.mutiny.Uni;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which request fields a route's refusals are about, by problem code: a resource knows that its
 * {@code plan_not_found} is about {@code planCode} where the service that refused does not, so it
 * names the field in errors[] here. A problem that names fields already is left as it is.
 */
public final class FieldsAtFault {
    private final Map<String, String[]> byCode = new HashMap<>();

    private FieldsAtFault() {
    }

    public static FieldsAtFault of(String code, String... fields) {
        return new FieldsAtFault().and(code, fields);
    }

    public FieldsAtFault and(String code, String... fields) {
        byCode.put(code, fields);
        return this;
    }

    /** Runs {@code work}, naming the fields of any refusal it ends in, thrown or failed. */
    public <T> Uni<T> on(Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().<T>deferred(work).onFailure(ProblemException.class).transform(e -> name((ProblemException) e));
    }

    public ProblemException name(ProblemException e) {
        String[] fields = byCode.get(e.problem().code());
        return fields == null ? e : e.naming(fields);
    }
}
