package dev.tally.subscriptions.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.backbone.tx.Tx;
import dev.tally.subscriptions.service.ChangeQuoteView;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/**
 * Change previews ({@link ChangePreview}), kept until they expire, with the subscription revision
 * they describe: kept and read through Hibernate; confirmed in the change's transaction.
 */
@ApplicationScoped
public class PreviewRepository implements PanacheRepositoryBase<ChangePreview, UUID> {
    private final ObjectMapper json;

    public PreviewRepository(ObjectMapper json) {
        this.json = json;
    }

    public record StoredPreview(long revision, ChangeQuoteView quote) {
    }

    /** Keeps the quote, in the caller's session transaction. */
    public Uni<Void> save(Tx tx, String accountId, long revision, ChangeQuoteView quote) {
        tx.session(); // a session transaction: the entity is written in it
        var preview = new ChangePreview();
        preview.id = quote.previewId();
        preview.accountId = accountId;
        preview.basedOnRevision = revision;
        preview.preview = write(quote);
        preview.expiresAt = quote.expiresAt();
        return persist(preview).replaceWithVoid();
    }

    /**
     * Marks the preview confirmed, in the transaction that applies it; false when it was confirmed
     * already (a concurrent confirmation waits on the row and then sees it taken).
     */
    public Uni<Boolean> confirm(SqlClient tx, String accountId, UUID id, java.time.Instant at) {
        return tx.preparedQuery("UPDATE change_preview SET confirmed_at = $3 WHERE id = $1 AND account_id = $2 AND confirmed_at IS NULL")
                .execute(Tuple.of(id, accountId, SubscriptionRepository.at(at))).map(rows -> rows.rowCount() == 1);
    }

    /** The account's preview {@code id}, read outside any transaction. */
    @WithSession
    public Uni<Optional<StoredPreview>> find(String accountId, UUID id) {
        return findById(id).map(found -> found == null || !found.accountId.equals(accountId) ? Optional.empty()
                : Optional.of(new StoredPreview(found.basedOnRevision, read(found.preview))));
    }

    private String write(ChangeQuoteView quote) {
        try {
            return json.writeValueAsString(quote);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ChangeQuoteView read(String stored) {
        try {
            return json.readValue(stored, ChangeQuoteView.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable preview", e);
        }
    }
}
