package dev.gridserve.system;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO HTTP/1.1 connector with a total time limit for receiving a request's headers. Tomcat's own
 * timeout applies to each read, so a client sending one header line every few seconds could hold a connection
 * for ever, and a few thousand of them all the connections there are. Once a second, connections still in the
 * middle of their request line or headers after {@code headerReadTimeout} are closed.
 */
public class HeaderDeadlineProtocol extends Http11NioProtocol {
    private static final Logger log = LoggerFactory.getLogger(HeaderDeadlineProtocol.class);

    private volatile long headerReadTimeoutMillis = 10_000;
    private ScheduledExecutorService reaper;

    /** Set from the connector's properties (see TomcatConfig). */
    public void setHeaderReadTimeout(int millis) {
        headerReadTimeoutMillis = millis;
    }

    public int getHeaderReadTimeout() {
        return (int) headerReadTimeoutMillis;
    }

    @Override
    public void start() throws Exception {
        super.start();
        reaper = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("header-deadline").unstarted(r));
        reaper.scheduleWithFixedDelay(this::closeSlowHeaders, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stop() throws Exception {
        if (reaper != null) {
            reaper.shutdownNow();
        }
        super.stop();
    }

    private void closeSlowHeaders() {
        try {
            long now = System.nanoTime();
            long limit = headerReadTimeoutMillis * 1_000_000;
            int n = 0;
            for (SocketWrapperBase<?> w : getEndpoint().getConnections()) {
                // Between requests a connection has no processor; in the servlet its stage is SERVICE. One that
                // keeps its processor while waiting for more of its request line or headers is parsing (Tomcat
                // marks it PARSE while reading, ENDED while it waits for the next bytes).
                if (w.getCurrentProcessor() instanceof Http11Processor p && !p.isAsync()) {
                    Request r = p.getRequest();
                    long started = r.getStartTimeNanos();
                    int stage = r.getRequestProcessor().getStage();
                    if ((stage == Constants.STAGE_PARSE || stage == Constants.STAGE_ENDED)
                            && started > 0
                            && now - started > limit) {
                        w.close();
                        n++;
                    }
                }
            }
            if (n > 0) {
                log.info(
                        "Closed {} connections that sent their request headers for longer than {} ms",
                        n,
                        headerReadTimeoutMillis);
            }
        } catch (RuntimeException e) {
            log.debug("Header deadline check skipped: {}", e.toString());
        }
    }
}
