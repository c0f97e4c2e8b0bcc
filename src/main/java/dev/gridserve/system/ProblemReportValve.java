package dev.gridserve.system;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Renders the errors Tomcat answers before any servlet runs (a malformed request line or header, a URL or
 * headers over the limit, a duplicate Host, an unsupported HTTP version or transfer encoding) as the same
 * RFC 9457 problem+json {@link ProblemHandler} writes, with the security headers the application's filters
 * would have added. Installed as the host's error report valve by {@link TomcatConfig}.
 */
public class ProblemReportValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String path = request.getDecodedRequestURI();
        StringBuilder json = new StringBuilder(256).append("{\"detail\":");
        JsonText.string(json, ProblemSentences.forStatus(status, path));
        if (path != null && !path.isEmpty()) {
            json.append(",\"instance\":");
            JsonText.string(json, path);
        }
        json.append(",\"status\":").append(status).append(",\"title\":");
        JsonText.string(json, known == null ? "Error" : known.getReasonPhrase());
        json.append('}');
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            SecurityHeaders.ALL.forEach(response::setHeader);
            Writer w = response.getReporter();
            if (w != null) {
                w.write(json.toString());
            }
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone; nothing to report to
        }
    }
}
