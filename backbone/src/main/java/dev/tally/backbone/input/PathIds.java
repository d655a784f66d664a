package dev.tally.backbone.input;

import dev.tally.backbone.problem.ProblemException;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every id in a path (account ids, plan and pack codes, hold and debit ids, versions) matches one
 * documented pattern, {@value #ID}: 1 to 128 characters, starting with a letter or digit, then letters,
 * digits and {@code . _ : @ -}. Anything else (quotes, spaces, control characters, slashes, over-long ids)
 * is 400 {@code invalid_request} naming the path parameter, before the route touches the database.
 */
public class PathIds {
    public static final String ID = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";
    private static final Pattern PATTERN = Pattern.compile(ID);

    @ServerRequestFilter
    public void check(UriInfo uri) {
        for (Map.Entry<String, List<String>> param : uri.getPathParameters().entrySet()) {
            for (String value : param.getValue()) {
                if (!valid(value)) {
                    throw ProblemException.invalidField(param.getKey(), "must be 1 to 128 letters, digits or . _ : @ -, "
                            + "starting with a letter or digit");
                }
            }
        }
    }

    public static boolean valid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
