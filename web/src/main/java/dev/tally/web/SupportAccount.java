package dev.tally.web;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.web.Credits.LedgerEntry;
import dev.tally.web.Credits.Timer;
import dev.tally.web.Subscriptions.Charge;
import dev.tally.web.Subscriptions.HistoryEntry;
import dev.tally.web.Subscriptions.SalesInquiry;
import dev.tally.web.Subscriptions.SentEmail;
import dev.tally.web.TallyApi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** What support sees of one account, each part read with the admin token; a part that fails is named, the rest shows. */
@ApplicationScoped
public class SupportAccount {
    private final TallyApi api;

    public SupportAccount(TallyApi api) {
        this.api = api;
    }

    public record View(String accountId, Subscriptions.Subscription subscription, List<HistoryEntry> history,
                       Credits.Balance balance, Credits.Lots lots, List<LedgerEntry> ledger, List<Charge> charges,
                       List<Timer> timers, List<SentEmail> notifications, List<SalesInquiry> inquiries,
                       List<Catalog.Plan> plans, List<String> problems) {
    }

    public View of(String accountId, String adminToken) {
        String acc = "/accounts/" + TallyApi.segment(accountId);
        String q = "?accountId=" + TallyApi.segment(accountId);
        List<String> problems = new ArrayList<>();
        return new View(accountId,
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, acc + "/subscription", adminToken, new TypeReference<>() { }), null),
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, acc + "/subscription/history", adminToken,
                        new TypeReference<List<HistoryEntry>>() { }), List.of()),
                read(problems, () -> api.get(Service.CREDITS, acc + "/credits", adminToken, new TypeReference<Credits.Balance>() { }), null),
                read(problems, () -> api.get(Service.CREDITS, acc + "/credits/lots", adminToken, new TypeReference<Credits.Lots>() { }), null),
                read(problems, () -> api.get(Service.CREDITS, acc + "/credits/ledger?limit=200", adminToken,
                        new TypeReference<List<LedgerEntry>>() { }), List.of()),
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, acc + "/charges?limit=50", adminToken,
                        new TypeReference<List<Charge>>() { }), List.of()),
                read(problems, () -> api.get(Service.SCHEDULER, "/admin/timers" + q, adminToken, new TypeReference<List<Timer>>() { }),
                        List.of()),
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, "/admin/notifications" + q, adminToken,
                        new TypeReference<List<SentEmail>>() { }), List.of()),
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, "/admin/sales-inquiries" + q, adminToken,
                        new TypeReference<List<SalesInquiry>>() { }), List.of()),
                read(problems, () -> api.get(Service.PLANS, "/plans", null, new TypeReference<List<Catalog.Plan>>() { }), List.of()),
                problems);
    }

    private static <T> T read(List<String> problems, Supplier<T> call, T otherwise) {
        try {
            return call.get();
        } catch (Refusal r) {
            problems.add(r.shown());
            return otherwise;
        }
    }
}
