package dev.tally.backbone.problem;

import java.util.List;

/** Thrown anywhere to answer with a problem+json of this status and code; never logged as an error. */
public class ProblemException extends RuntimeException {
    private final Problem problem;

    public ProblemException(int status, String code, String detail) {
        this(Problem.of(status, code, detail));
    }

    public ProblemException(Problem problem) {
        super(problem.code() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(400, code, detail);
    }

    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(Problem.of(400, "invalid_request", field + ": " + message,
                List.of(new Problem.FieldError(field, message))));
    }

    /** A refusal with fields at fault ({@code plan_not_found} for {@code planCode}): each is named in errors[] with the problem's code. */
    public static ProblemException naming(int status, String code, String detail, String... fields) {
        return new ProblemException(Problem.of(status, code, detail,
                java.util.Arrays.stream(fields).map(f -> new Problem.FieldError(f, code, detail)).toList()));
    }

    /** This problem with {@code fields} named at fault, unless it names some already. */
    public ProblemException naming(String... fields) {
        if (!problem.errors().isEmpty() || fields.length == 0) {
            return this;
        }
        return naming(problem.status(), problem.code(), problem.detail(), fields);
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(404, code, detail);
    }

    public static ProblemException conflict(String code, String detail) {
        return new ProblemException(409, code, detail);
    }

    public static ProblemException unprocessable(String code, String detail) {
        return new ProblemException(422, code, detail);
    }
}
