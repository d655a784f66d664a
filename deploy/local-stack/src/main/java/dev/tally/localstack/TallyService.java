package dev.tally.localstack;

/**
 * The four services the stack runs, with the HTTP port and database each one owns, and the web
 * pages (no database). The ports are the suite's fixed dev ports (README, What runs where), so URLs
 * in docs and scripts stay valid.
 */
public enum TallyService {
    PLANS("plans-service", 8081, "tally_plans"),
    SUBSCRIPTIONS("subscriptions-service", 8082, "tally_subscriptions"),
    CREDITS("credits-service", 8083, "tally_credits"),
    SCHEDULER("billing-scheduler", 8084, "tally_scheduler"),
    /** The Plan & Credits page and the support console: calls the four over REST, owns no database. */
    WEB("web", 8080, null);

    private final String module;
    private final int port;
    private final String database;

    TallyService(String module, int port, String database) {
        this.module = module;
        this.port = port;
        this.database = database;
    }

    /** Maven module folder, also the name of its log and pid file. */
    public String module() {
        return module;
    }

    public int port() {
        return port;
    }

    /** The service's database, or null for the web pages, which have none. */
    public String database() {
        return database;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public static TallyService byModule(String module) {
        for (TallyService s : values()) {
            if (s.module.equals(module)) {
                return s;
            }
        }
        return null;
    }
}
