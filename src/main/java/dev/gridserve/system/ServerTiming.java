package dev.gridserve.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Adds {@code X-Process-Time} (seconds, as the original) and {@code Server-Timing} to every response. Headers
 * are stamped when the body starts, since they cannot change after; phases (index, db) are recorded by the
 * code that spends the time, on the request's own thread.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ServerTiming extends OncePerRequestFilter {
    private static final ThreadLocal<StringBuilder> PHASES = new ThreadLocal<>();

    /** Records a phase of the current request, if there is one. */
    public static void record(String phase, long nanos) {
        StringBuilder sb = PHASES.get();
        if (sb != null) {
            sb.append(phase)
                    .append(";dur=")
                    .append(String.format(Locale.ROOT, "%.3f", nanos / 1e6))
                    .append(", ");
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        StringBuilder phases = new StringBuilder();
        PHASES.set(phases);
        Stamping wrapped = new Stamping(res, start, phases);
        try {
            chain.doFilter(req, wrapped);
        } finally {
            wrapped.stamp();
            PHASES.remove();
        }
    }

    private static final class Stamping extends HttpServletResponseWrapper {
        private final long start;
        private final StringBuilder phases;
        private boolean stamped;

        Stamping(HttpServletResponse res, long start, StringBuilder phases) {
            super(res);
            this.start = start;
            this.phases = phases;
        }

        void stamp() {
            if (stamped || isCommitted()) {
                return;
            }
            stamped = true;
            long nanos = System.nanoTime() - start;
            setHeader("X-Process-Time", String.format(Locale.ROOT, "%.6f", nanos / 1e9));
            setHeader("Server-Timing", phases + "app;dur=" + String.format(Locale.ROOT, "%.3f", nanos / 1e6));
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            stamp();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            stamp();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            stamp();
            super.flushBuffer();
        }

        @Override
        public void sendError(int sc, String msg) throws IOException {
            stamp();
            super.sendError(sc, msg);
        }

        @Override
        public void sendError(int sc) throws IOException {
            stamp();
            super.sendError(sc);
        }
    }
}
