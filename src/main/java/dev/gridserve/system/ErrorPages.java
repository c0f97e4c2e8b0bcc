package dev.gridserve.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the servlet container sends errors raised outside the controllers (a filter or the container calling
 * sendError, an exception from a filter): they are re-thrown here so that {@link ProblemHandler} renders them
 * like every other error. Asked for directly, /error is simply not there.
 */
@RestController
class ErrorPages implements ErrorController {
    /** Request attribute with the sentence to answer with, set by code that calls sendError. */
    static final String DETAIL = ErrorPages.class.getName() + ".detail";

    @RequestMapping("/error")
    void error(HttpServletRequest req) throws Throwable {
        Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            throw ApiException.notFound("There is nothing at /error.");
        }
        HttpStatus status = HttpStatus.resolve((Integer) code);
        if (status == null) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object cause = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        if (status.is5xxServerError() && cause instanceof Throwable t && !(t instanceof ApiException)) {
            throw t; // a failure in a filter: the handler logs it as the server error it is
        }
        // a 4xx with a cause is the client's (such as Tomcat's BadRequestException for a broken chunk size)
        Object detail = req.getAttribute(DETAIL);
        String path = (String) req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        throw new ApiException(
                status,
                detail != null ? detail.toString() : ProblemSentences.forStatus(status.value(), path),
                List.of(),
                null);
    }
}
