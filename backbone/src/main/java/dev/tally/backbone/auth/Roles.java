package dev.tally.backbone.auth;

/** The three roles a Tally token may carry. */
public final class Roles {
    /** An end user's token: may act only on the account id in its {@code sub}. */
    public static final String ACCOUNT = "account";
    /** The product's backend: any account. */
    public static final String SERVICE = "service";
    /** Operators: catalog, overrides, time. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
