package dev.gridserve.system;

import java.util.List;
import org.springframework.http.HttpStatus;

/** An error the client caused or must know about; rendered as problem+json with a human {@code detail}. */
public class ApiException extends RuntimeException {
    /** One problem with one input field, as listed in a 422 body's {@code errors}. */
    public record FieldProblem(String field, String message) {}

    private final HttpStatus status;
    private final List<FieldProblem> errors;
    private final Integer retryAfterSeconds;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> errors, Integer retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail, List.of(), null);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, detail, List.of(), null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail, List.of(), null);
    }

    /** At most this many problems are listed; the detail says how many there were. */
    public static final int MAX_LISTED = 20;

    /** A 422 listing the invalid fields (the first {@link #MAX_LISTED}); the detail sentence names them. */
    public static ApiException invalid(List<FieldProblem> errors) {
        List<FieldProblem> listed = errors.size() > MAX_LISTED ? errors.subList(0, MAX_LISTED) : errors;
        String names =
                String.join(", ", listed.stream().map(FieldProblem::field).toList());
        String detail = errors.size() == 1
                ? "Invalid value for '" + errors.get(0).field() + "': "
                        + errors.get(0).message() + "."
                : errors.size() <= MAX_LISTED
                        ? "The request has " + errors.size() + " invalid fields: " + names + "."
                        : "The request has " + errors.size() + " invalid fields; the first " + MAX_LISTED
                                + " are listed: " + names + ".";
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, detail, listed, null);
    }

    /**
     * A 422 for query parameters this endpoint does not know (a typo would otherwise be ignored and the request
     * answered as if the filter had applied); each problem's message says what was probably meant.
     */
    public static ApiException unknownParameters(List<FieldProblem> unknown) {
        List<FieldProblem> listed = unknown.size() > MAX_LISTED ? unknown.subList(0, MAX_LISTED) : unknown;
        String detail = unknown.size() == 1
                ? "'" + unknown.get(0).field() + "' " + unknown.get(0).message()
                        + (unknown.get(0).message().endsWith("?") ? "" : ".")
                : "The request has " + unknown.size() + " unknown parameters: "
                        + String.join(
                                ", ", listed.stream().map(FieldProblem::field).toList()) + ".";
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, detail, listed, null);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldProblem(field, message)));
    }

    public static ApiException unavailable(String detail, int retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, detail, List.of(), retryAfterSeconds);
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
