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
