package dev.tally.backbone.input;

import dev.tally.backbone.problem.Problem;
import dev.tally.backbone.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The text of a request, checked before any route runs ({@link HttpEdge}): a URI longer than
 * {@value #MAX_URI} characters is 414 {@code uri_too_long}; headers over {@value #MAX_HEADERS} bytes in
 * all are 431 {@code headers_too_large}; a NUL or other control character, a malformed %-escape, or
 * bytes that are not UTF-8, in the path or a query parameter, and a control character in a header
 * value, are 400 {@code invalid_request} naming {@code path}, the query parameter or the header. (PostgreSQL refuses NUL in text: without
 * this check a NUL reached the database and came back a 500.)
 */
final class RequestTextCheck {
    static final int MAX_URI = 8192;
    static final int MAX_HEADERS = 16384;

    private RequestTextCheck() {
    }

    /** @throws ProblemException naming what is wrong with the request's text */
    static void check(HttpServerRequest request) {
        String uri = request.uri();
        if (uri != null && uri.length() > MAX_URI) {
            throw new ProblemException(Problem.of(414, "uri_too_long", "The request URI is longer than " + MAX_URI + " characters."));
        }
        int headerBytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4;
        }
        if (headerBytes > MAX_HEADERS) {
            throw new ProblemException(Problem.of(431, "headers_too_large", "The request headers exceed " + MAX_HEADERS + " bytes."));
        }
        String path = request.path();
        if (path != null) {
            checkEscaped("path", path, false);
        }
        String query = request.query();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String decodedName = decodeOrNull(name);
                String field = decodedName == null || decodedName.isEmpty() || !printable(decodedName) ? "query" : decodedName;
                checkEscaped(field, name, true);
                if (eq >= 0) {
                    checkEscaped(field, pair.substring(eq + 1), true);
                }
            }
        }
        for (Map.Entry<String, String> h : request.headers()) {
            checkHeader(h.getKey(), h.getValue());
        }
    }

    /** Header values are HTTP octets (RFC 9110 allows Latin-1 obs-text, so no UTF-8 rule here), never control characters. */
    private static void checkHeader(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw ProblemException.invalidField(name, "must not contain NUL or other control characters");
            }
        }
    }

    /** Checks a %-escaped part of the URI: escapes well formed, no control character, UTF-8 once decoded. */
    private static void checkEscaped(String field, String raw, boolean plusIsSpace) {
        byte[] bytes = bytes(raw, plusIsSpace);
        if (bytes == null) {
            throw ProblemException.invalidField(field, "has a malformed %-escape");
        }
        for (byte b : bytes) {
            if ((b >= 0 && b < 0x20) || b == 0x7F) {
                throw ProblemException.invalidField(field, "must not contain NUL or other control characters");
            }
        }
        if (!utf8(bytes)) {
            throw ProblemException.invalidField(field, "must be UTF-8 once %-decoded");
        }
    }

    private static String decodeOrNull(String raw) {
        byte[] bytes = bytes(raw, true);
        return bytes == null || !utf8(bytes) ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static boolean printable(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c != 0x7F);
    }

    /** The bytes a %-escaped string stands for, or null when an escape is malformed. */
    private static byte[] bytes(String raw, boolean plusIsSpace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else if (c > 0xFF) {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(encoded, 0, encoded.length);
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static boolean utf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
