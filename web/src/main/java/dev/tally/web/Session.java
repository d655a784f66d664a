package dev.tally.web;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Who is signed in, kept in HttpOnly, SameSite=Strict cookies: the account and its token for the
 * Plan & Credits page, an admin token for the support console, and a one-shot message (flash) for
 * the page a form redirects to. Tokens never appear in a page.
 */
public final class Session {
    static final String ACCOUNT = "tally_account";
    static final String TOKEN = "tally_token";
    static final String SUPPORT = "tally_support";
    static final String FLASH = "tally_flash";

    private Session() {
    }

    public static Optional<String> cookie(HttpHeaders headers, String name) {
        var c = headers.getCookies().get(name);
        return c == null || c.getValue().isBlank() ? Optional.empty() : Optional.of(c.getValue());
    }

    static NewCookie set(String name, String value, boolean secure) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    static NewCookie clear(String name) {
        return new NewCookie.Builder(name).value("").path("/").maxAge(0).httpOnly(true).sameSite(NewCookie.SameSite.STRICT).build();
    }

    /** A 303 to {@code path} with a message for the next page; {@code ok} false shows it as a refusal. */
    public static Response redirect(String path, boolean ok, String message) {
        String flash = (ok ? "ok:" : "error:") + message;
        return Response.seeOther(URI.create(path))
                .cookie(set(FLASH, URLEncoder.encode(flash, StandardCharsets.UTF_8), false)).build();
    }

    /** The message left by the previous request, if any ("ok:..." or "error:..."); the page clears it. */
    public static Flash flash(HttpHeaders headers) {
        return cookie(headers, FLASH).map(v -> URLDecoder.decode(v, StandardCharsets.UTF_8))
                .map(v -> new Flash(v.startsWith("ok:"), v.substring(v.indexOf(':') + 1))).orElse(null);
    }

    public record Flash(boolean ok, String message) {
    }

    /** The {@code sub} of a JWT, read without verifying it (the services verify; this only names the account). */
    static Optional<String> subject(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length < 2) {
            return Optional.empty();
        }
        try {
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            var m = java.util.regex.Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"").matcher(payload);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
