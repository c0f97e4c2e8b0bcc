package dev.gridserve.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * For filters, which run before the controllers: answer with a status and a sentence, rendered as
 * problem+json by the single error path (the container's error page leads to {@link ProblemHandler}).
 */
public final class Problems {
    private Problems() {}

    public static void send(HttpServletRequest req, HttpServletResponse res, int status, String detail)
            throws IOException {
        req.setAttribute(ErrorPages.DETAIL, detail);
        res.sendError(status);
    }
}
