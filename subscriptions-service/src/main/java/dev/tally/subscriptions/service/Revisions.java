package dev.tally.subscriptions.service;

import dev.tally.backbone.problem.ProblemException;
import dev.tally.subscriptions.domain.Subscription;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The check a change decided outside a transaction passes once it holds the row: the subscription
 * must still be at the revision the change was decided on. A subscription that moved meanwhile
 * (another change, a period end, a Stripe webhook) refuses it with 409 {@code subscription_changed}.
 */
final class Revisions {
    private Revisions() {
    }

    static ProblemException changed(Subscription decidedOn, Subscription now) {
        return ProblemException.conflict("subscription_changed", "The subscription changed while this request was being decided "
                + "(revision " + decidedOn.revision() + " is now " + now.revision() + "); nothing was applied: read it again and "
                + "send the request again with a new Idempotency-Key.");
    }

    /** Whether {@code stored} is {@code decided} (the same change applied by another path), as the database keeps instants. */
    static boolean same(Subscription stored, Subscription decided) {
        return stored.revision() == decided.revision() && stored.planCode().equals(decided.planCode())
                && stored.planVersion() == decided.planVersion() && stored.interval() == decided.interval()
                && stored.status() == decided.status() && stored.cancelAtPeriodEnd() == decided.cancelAtPeriodEnd()
                && micros(stored.period().start()).equals(micros(decided.period().start()))
                && micros(stored.period().end()).equals(micros(decided.period().end()))
                && Objects.equals(stored.pending().map(p -> p.planCode() + " v" + p.planVersion() + " " + p.interval()).orElse(null),
                        decided.pending().map(p -> p.planCode() + " v" + p.planVersion() + " " + p.interval()).orElse(null));
    }

    private static Instant micros(Instant i) {
        return i.truncatedTo(ChronoUnit.MICROS);
    }
}
