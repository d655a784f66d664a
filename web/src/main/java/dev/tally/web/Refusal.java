package dev.tally.web;

/**
 * A service said no (a 4xx or 5xx problem+json), or could not be reached: the page shows
 * {@link #getMessage()}, the problem's {@code detail} (else its title) and its stable {@code code}.
 */
public class Refusal extends RuntimeException {
    private final int status;
    private final String code;

    public Refusal(int status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** What the page shows: "detail (code)". */
    public String shown() {
        return code == null || code.isBlank() ? getMessage() : getMessage() + " (" + code + ")";
    }
}
