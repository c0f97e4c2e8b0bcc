package tracingprobe;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An endpoint that fails as a bug would, for the tracing test only: registered by that test by hand, and kept
 * outside dev.gridserve so that no other test's component scan finds it.
 */
@RestController
public class FailingController {
    @GetMapping("/api/v1/probe/fail")
    String fail() {
        throw new IllegalStateException("a bug on purpose, for the tracing test");
    }
}
