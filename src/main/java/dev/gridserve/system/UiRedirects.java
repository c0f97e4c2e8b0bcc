package dev.gridserve.system;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Addresses the UI had before it was one page for every table still lead there (/table.html?t=orders). */
@Configuration(proxyBeanMethods = false)
class UiRedirects implements WebMvcConfigurer {
    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/table.html", "/")
                .setKeepQueryParams(true)
                .setStatusCode(HttpStatus.MOVED_PERMANENTLY);
    }
}
