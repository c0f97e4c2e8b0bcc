package dev.gridserve.system;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** ReDoc (vendored, served from the jar) over the same OpenAPI document Swagger UI shows at /docs. */
@RestController
@Hidden
class DocsController {
    private static final String PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8"><title>gridserve API - ReDoc</title>
              <meta name="viewport" content="width=device-width, initial-scale=1">
            </head>
            <body>
              <redoc spec-url="/openapi.json"></redoc>
              <script src="/vendor/redoc-2.5.4/redoc.standalone.js"></script>
            </body>
            </html>
            """;

    @GetMapping(value = "/redoc", produces = MediaType.TEXT_HTML_VALUE)
    String redoc() {
        return PAGE;
    }
}
