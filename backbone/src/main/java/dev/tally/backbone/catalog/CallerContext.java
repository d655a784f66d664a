package dev.tally.backbone.catalog;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The catalog shares one read among concurrent callers (and its own pool answers on its own
 * connections' contexts), so an answer may arrive on the Vert.x context of whoever asked first. A
 * Hibernate Reactive session is bound to the context (and thread) that opened it (HR000069 when code
 * holding one continues elsewhere), so every answer of {@link Catalog} continues on its caller's context.
 * Public for other shared answers that may arrive elsewhere (a REST client's timeout answers on a timer thread).
 */
public final class CallerContext {
    private CallerContext() {
    }

    /** {@code answer}, delivered on the context that subscribes to it (at once when it arrives there anyway; as is without one). */
    public static <T> Uni<T> resume(Uni<T> answer) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            if (caller == null) {
                return answer;
            }
            return answer.emitOn(task -> {
                if (Vertx.currentContext() == caller) {
                    task.run();
                } else {
                    caller.runOnContext(x -> task.run());
                }
            });
        });
    }
}
