package dev.gridserve.system;

import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Tomcat: its own error responses become problem+json (the host's error report valve, Spring Boot's HTML one, is
 * replaced by {@link ProblemReportValve}), and the connector limits the total time to receive request headers
 * ({@link HeaderDeadlineProtocol}). Runs after Spring Boot's customizers.
 */
@Component
class TomcatConfig implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
    private final WebProperties web;

    TomcatConfig(WebProperties web) {
        this.web = web;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(HeaderDeadlineProtocol.class.getName());
        factory.addConnectorCustomizers(c -> c.setProperty(
                "headerReadTimeout", Long.toString(web.headerReadTimeout().toMillis())));
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                for (Valve v : host.getPipeline().getValves()) {
                    if (v instanceof ErrorReportValve && !(v instanceof ProblemReportValve)) {
                        host.getPipeline().removeValve(v);
                    }
                }
                host.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
