package dev.tally.backbone.catalog;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A read shared by two callers is answered on the first caller's context; each caller continues on its own. */
class CallerContextTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aSharedAnswerContinuesOnTheSecondCallersContextNotOnTheFirsts() throws Exception {
        Context first = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        Context second = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        assertSame(second, answeredOn(first, second, CallerContext::resume));
    }

    @Test
    void withoutItTheSecondCallerContinuesOnTheFirstCallersContext() throws Exception {
        Context first = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        Context second = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        assertNotSame(second, answeredOn(first, second, answer -> answer)); // what the catalog's shared reads did before
    }

    /** The context the second caller's answer arrives on, when both ask one shared read that the first's context answers. */
    private static Context answeredOn(Context first, Context second, Function<Uni<String>, Uni<String>> deliver) throws Exception {
        AtomicReference<UniEmitter<? super String>> pending = new AtomicReference<>();
        Uni<String> shared = Uni.createFrom().<String>emitter(pending::set).memoize().indefinitely();
        CompletableFuture<Context> answered = new CompletableFuture<>();
        CompletableFuture<Void> asked = new CompletableFuture<>();
        first.runOnContext(x -> deliver.apply(shared).subscribe().with(item -> { }));
        second.runOnContext(x -> {
            deliver.apply(shared).subscribe().with(item -> answered.complete(Vertx.currentContext()));
            asked.complete(null);
        });
        asked.get(5, TimeUnit.SECONDS);
        first.runOnContext(x -> pending.get().complete("plan")); // the read's answer arrives on the first caller's context
        return answered.get(5, TimeUnit.SECONDS);
    }
}
