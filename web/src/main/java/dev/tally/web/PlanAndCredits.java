package dev.tally.web;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.tally.web.Catalog.ChangePolicy;
import dev.tally.web.Catalog.CreditPack;
import dev.tally.web.Catalog.Plan;
import dev.tally.web.Credits.Balance;
import dev.tally.web.Credits.LedgerEntry;
import dev.tally.web.Credits.Lots;
import dev.tally.web.Subscriptions.Charge;
import dev.tally.web.Subscriptions.Subscription;
import dev.tally.web.TallyApi.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Everything the Plan & Credits page shows for one account, read from the four services. */
@ApplicationScoped
public class PlanAndCredits {
    private final TallyApi api;

    public PlanAndCredits(TallyApi api) {
        this.api = api;
    }

    /** One way to move to a plan: its interval and price, and what the catalog's change policy says about it. */
    public record Option(String interval, long amountMinor, String currency, boolean current, String direction,
                         List<String> timings, String defaultTiming, String access) {
        public boolean contactSales() {
            return "CONTACT_SALES".equals(access);
        }

        public boolean adminOnly() {
            return "ADMIN_ONLY".equals(access);
        }
    }

    public record Offer(Plan plan, List<Option> options, boolean current) {
    }

    public record View(String accountId, Subscription subscription, Plan plan, Balance balance, Lots lots,
                       List<LedgerEntry> ledger, List<Charge> charges, Subscriptions.CustomerBalance customerBalance,
                       List<Offer> offers, List<CreditPack> packs, boolean stripe, List<String> problems) {
    }

    public View of(String accountId, String token, boolean stripe) {
        String acc = "/accounts/" + TallyApi.segment(accountId);
        List<String> problems = new ArrayList<>();
        Subscription sub = api.get(Service.SUBSCRIPTIONS, acc + "/subscription", token, new TypeReference<>() { });
        List<Plan> plans = read(problems, () -> api.get(Service.PLANS, "/plans", null, new TypeReference<List<Plan>>() { }), List.of());
        Plan current = plans.stream().filter(p -> p.code().equals(sub.planCode())).findFirst().orElse(null);
        List<Offer> offers = new ArrayList<>();
        for (Plan p : plans) {
            offers.add(offer(sub, p, problems));
        }
        return new View(accountId, sub, current,
                read(problems, () -> api.get(Service.CREDITS, acc + "/credits", token, new TypeReference<Balance>() { }), null),
                read(problems, () -> api.get(Service.CREDITS, acc + "/credits/lots", token, new TypeReference<Lots>() { }), null),
                read(problems, () -> api.get(Service.CREDITS, acc + "/credits/ledger?limit=50", token,
                        new TypeReference<List<LedgerEntry>>() { }), List.of()),
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, acc + "/charges?limit=50", token,
                        new TypeReference<List<Charge>>() { }), List.of()),
                read(problems, () -> api.get(Service.SUBSCRIPTIONS, acc + "/customer-balance", token,
                        new TypeReference<Subscriptions.CustomerBalance>() { }), null),
                offers,
                read(problems, () -> api.get(Service.PLANS, "/credit-packs", null, new TypeReference<List<CreditPack>>() { }), List.of()),
                stripe, problems);
    }

    private Offer offer(Subscription sub, Plan p, List<String> problems) {
        List<Option> options = new ArrayList<>();
        List<Catalog.Price> prices = p.prices().isEmpty() ? List.of(new Catalog.Price("MONTH", 0, "USD", null)) : p.prices();
        boolean currentPlan = p.code().equals(sub.planCode());
        for (Catalog.Price price : prices) {
            boolean current = currentPlan && (p.prices().isEmpty() || price.interval().equals(sub.interval()));
            ChangePolicy policy = current ? null : read(problems, () -> api.get(Service.PLANS, "/change-policy?from="
                    + TallyApi.segment(sub.planCode()) + "&fromInterval=" + sub.interval() + "&to=" + TallyApi.segment(p.code())
                    + "&toInterval=" + price.interval(), null, new TypeReference<ChangePolicy>() { }), null);
            String access = policy != null ? policy.access() : p.selfServe() ? "SELF_SERVE" : "CONTACT_SALES";
            options.add(new Option(price.interval(), price.amountMinor(), price.currency(), current,
                    policy == null ? null : policy.direction(), policy == null ? List.of() : inOrder(policy.allowedTimings()),
                    policy == null ? null : policy.defaultTiming(), access));
        }
        if (!p.selfServe()) {
            options = List.of(new Option(null, 0, null, currentPlan, null, List.of(), null, currentPlan ? "SELF_SERVE" : "CONTACT_SALES"));
        }
        return new Offer(p, options, currentPlan);
    }

    /** The timings in the order the page offers them: now, at the period end, prorated. */
    private static List<String> inOrder(List<String> timings) {
        return List.of("IMMEDIATE", "END_OF_PERIOD", "IMMEDIATE_PRORATED").stream().filter(timings::contains).toList();
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
