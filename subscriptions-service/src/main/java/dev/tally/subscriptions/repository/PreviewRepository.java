package dev.tally.subscriptions.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.subscriptions.service.ChangeQuoteView;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Change previews, kept until they expire, with the subscription revision they describe. */
@ApplicationScoped
public class PreviewRepository {
    private final ObjectMapper json;

    public PreviewRepository(ObjectMapper json) {
        this.json = json;
    }

    public record StoredPreview(long revision, ChangeQuoteView quote) {
    }

    public Uni<Void> save(SqlClient client, String accountId, long revision, ChangeQuoteView quote) {
        try {
            return client.preparedQuery("INSERT INTO change_preview (id, account_id, based_on_revision, preview, expires_at) "
                            + "VALUES ($1, $2, $3, $4::text::jsonb, $5)")
                    .execute(Tuple.of(quote.previewId(), accountId, revision, json.writeValueAsString(quote),
                            SubscriptionRepository.at(quote.expiresAt())))
                    .replaceWithVoid();
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Marks the preview confirmed, in the transaction that applies it; false when it was confirmed
     * already (a concurrent confirmation waits on the row and then sees it taken).
     */
    public Uni<Boolean> confirm(SqlClient tx, String accountId, UUID id, java.time.Instant at) {
        return tx.preparedQuery("UPDATE change_preview SET confirmed_at = $3 WHERE id = $1 AND account_id = $2 AND confirmed_at IS NULL")
                .execute(Tuple.of(id, accountId, SubscriptionRepository.at(at))).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Optional<StoredPreview>> find(SqlClient client, String accountId, UUID id) {
        return client.preparedQuery("SELECT based_on_revision, preview::text FROM change_preview WHERE id = $1 AND account_id = $2")
                .execute(Tuple.of(id, accountId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    var r = rows.iterator().next();
                    try {
                        return Optional.of(new StoredPreview(r.getLong(0), json.readValue(r.getString(1), ChangeQuoteView.class)));
                    } catch (Exception e) {
                        throw new IllegalStateException("unreadable preview", e);
                    }
                });
    }
}
