package dev.gridserve.system;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The single place errors become RFC 9457 problem+json. Every answer is counted by status
 * ({@code gridserve.http.problems}); server errors are logged at ERROR, client errors only at DEBUG.
 */
@RestControllerAdvice
class ProblemHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final MeterRegistry meters;
    private final ObjectProvider<Tracer> tracer;
    private final Map<Integer, Counter> problems = new ConcurrentHashMap<>();

    ProblemHandler(MeterRegistry meters, ObjectProvider<Tracer> tracer) {
        this.meters = meters;
        this.tracer = tracer;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> api(ApiException e, HttpServletRequest req) {
        ResponseEntity<ProblemDetail> r = problem(e.status(), e.getMessage(), e.errors(), req, null);
        if (e.retryAfterSeconds() != null) {
            return ResponseEntity.status(r.getStatusCode())
                    .headers(r.getHeaders())
                    .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString())
                    .body(r.getBody());
        }
        return r;
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest req) {
        return problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON.", List.of(), req, e);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest req) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "The value '" + e.getValue() + "' is not valid for '" + e.getName() + "'.",
                List.of(),
                req,
                e);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ProblemDetail> noResource(NoResourceFoundException e, HttpServletRequest req) {
        return problem(HttpStatus.NOT_FOUND, "There is nothing at " + req.getRequestURI() + ".", List.of(), req, e);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ProblemDetail> method(HttpRequestMethodNotSupportedException e, HttpServletRequest req) {
        return problem(
                HttpStatus.METHOD_NOT_ALLOWED,
                "The method " + e.getMethod() + " is not allowed on " + req.getRequestURI() + ".",
                List.of(),
                req,
                e);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ProblemDetail> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest req) {
        return problem(
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "The request body must be sent as application/json.",
                List.of(),
                req,
                e);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ProblemDetail> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest req) {
        return problem(HttpStatus.NOT_ACCEPTABLE, "This resource is only available as JSON.", List.of(), req, e);
    }

    /** Malformed query-string encoding, should something read parameters before {@link QueryStringGuard}. */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> parameters(InvalidParameterException e, HttpServletRequest req) {
        return problem(HttpStatus.BAD_REQUEST, QueryStringGuard.MALFORMED, List.of(), req, e);
    }

    /**
     * A value the database refused although it passed validation: a gap in validation, so it is logged as a
     * warning, but the client still learns its request was refused and nothing was written.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> integrity(DataIntegrityViolationException e, HttpServletRequest req) {
        log.warn(
                "A write passed validation but the database refused it: {}",
                LogText.safe(e.getMostSpecificCause().toString()));
        return problem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "A value does not fit what the database can store (too long or out of range); nothing was written.",
                List.of(),
                req,
                e);
    }

    /** The database is unreachable, or a statement outlasted its time limit: retry later, not a server fault. */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<ProblemDetail> database(RuntimeException e, HttpServletRequest req) {
        return api(ApiException.unavailable("The database is unavailable or too slow; retry shortly.", 5), req);
    }

    /**
     * The client hung up mid-answer (a cancelled download, a closed tab): there is no one left to answer and
     * nothing went wrong here, so it is neither counted as a problem nor logged as an error.
     */
    @ExceptionHandler({AsyncRequestNotUsableException.class, ClientAbortException.class})
    void clientGone(Exception e, HttpServletRequest req, HttpServletResponse res) {
        log.debug("{} {}: the client went away ({})", req.getMethod(), LogText.safe(req.getRequestURI()), e.toString());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> other(Exception e, HttpServletRequest req) {
        if (e instanceof ErrorResponse er) {
            HttpStatusCode code = er.getStatusCode();
            String detail = er.getBody().getDetail() != null ? er.getBody().getDetail() : "The request failed.";
            return problem(HttpStatus.valueOf(code.value()), detail, List.of(), req, e);
        }
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred; it has been logged.",
                List.of(),
                req,
                e);
    }

    private ResponseEntity<ProblemDetail> problem(
            HttpStatus status,
            String detail,
            List<ApiException.FieldProblem> errors,
            HttpServletRequest req,
            Exception cause) {
        // an error dispatch (from a filter or the container) describes the request that failed, not /error
        Object original = req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = original instanceof String p ? p : req.getRequestURI();
        problems.computeIfAbsent(
                        status.value(),
                        code -> Counter.builder("gridserve.http.problems")
                                .description("error answers sent, by status")
                                .tag("status", Integer.toString(code))
                                .register(meters))
                .increment();
        if (status.is5xxServerError() && status != HttpStatus.SERVICE_UNAVAILABLE) {
            log.error(
                    "{} {} -> {}: {}",
                    req.getMethod(),
                    LogText.safe(path),
                    status.value(),
                    LogText.safe(detail),
                    cause);
        } else if (log.isDebugEnabled()) {
            // client errors are counted, and logged only at DEBUG: a flood of bad requests must not flood the log
            log.debug("{} {} -> {}: {}", req.getMethod(), LogText.safe(path), status.value(), LogText.safe(detail));
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setInstance(instance(path));
        if (status.is5xxServerError()) {
            String trace = traceId(req);
            if (trace != null) {
                body.setProperty("trace_id", trace); // what to quote when reporting it: the log lines carry it too
            }
        }
        if (!errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        HttpHeaders headers = new HttpHeaders();
        SecurityHeaders.ALL.forEach(headers::set); // also where the security filters did not run
        return ResponseEntity.status(status)
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(body);
    }

    /**
     * The trace of the request: the current span's, or on an error dispatch (from a filter or the container), the
     * span the request's observation started.
     */
    private String traceId(HttpServletRequest req) {
        Tracer t = tracer.getIfAvailable();
        Span span = t == null ? null : t.currentSpan();
        if (span == null) {
            span = ServerHttpObservationFilter.findObservationContext(req)
                    .map(c -> {
                        TracingObservationHandler.TracingContext tc =
                                c.get(TracingObservationHandler.TracingContext.class);
                        return tc == null ? null : tc.getSpan();
                    })
                    .orElse(null);
        }
        return span == null ? null : span.context().traceId();
    }

    /** The request path as a URI reference; a path that is not a valid one is left out. */
    private static URI instance(String path) {
        try {
            return URI.create(path);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
