package dev.tally.web;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;

/** How pages show money, instants and timings: {fmt:money(amount, currency)}, {fmt:date(instant)}. */
@TemplateExtension(namespace = "fmt")
public final class Formats {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM uuuu", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("d MMM uuuu HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** 1000 USD minor units: "$10.00"; other currencies by their code ("EUR 10.00"). */
    static String money(long amountMinor, String currency) {
        String code = currency == null ? "USD" : currency;
        int digits = Currency.getInstance(code).getDefaultFractionDigits();
        String amount = BigDecimal.valueOf(amountMinor, Math.max(digits, 0)).abs().toPlainString();
        String sign = amountMinor < 0 ? "-" : "";
        return sign + ("USD".equals(code) ? "$" + amount : code + " " + amount);
    }

    static String date(Instant at) {
        return at == null ? "—" : DAY.format(at);
    }

    static String time(Instant at) {
        return at == null ? "—" : TIME.format(at);
    }

    /** The words the help pages use for each timing. */
    static String timing(String timing) {
        if (timing == null) {
            return "";
        }
        return switch (timing) {
            case "IMMEDIATE" -> "Change immediately with allocation";
            case "END_OF_PERIOD" -> "Change at the end of the period";
            case "IMMEDIATE_PRORATED" -> "Change now, keep the billing date (prorated)";
            default -> timing;
        };
    }

    static String interval(String interval) {
        return "YEAR".equals(interval) ? "yearly" : "monthly";
    }

    static String per(String interval) {
        return "YEAR".equals(interval) ? "/ year" : "/ month";
    }
}
