package dev.tally.subscriptions.service;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The catalog read model shares one read among concurrent callers, so its answer arrives on the
 * Vert.x context of whoever asked first. A Hibernate Reactive session is bound to the context (and
 * thread) that opened it: code holding one continues on its own context after asking the catalog.
 */
public final class CallerContext {
    private CallerContext() {
    }

    /** {@code answer}, delivered on the context that calls this (at once when it arrives there anyway). */
    public static <T> Uni<T> resume(Uni<T> answer) {
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
    }
}
