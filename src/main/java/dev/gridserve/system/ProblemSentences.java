package dev.gridserve.system;

/**
 * A plain sentence for each error status the server itself (rather than a controller) can answer with:
 * Tomcat rejecting a malformed request, a filter refusing one, a path with nothing behind it.
 */
public final class ProblemSentences {
    private ProblemSentences() {}

    public static String forStatus(int status, String path) {
        String at = path == null || path.isEmpty() ? "" : " " + LogText.safe(path);
        return switch (status) {
            case 400 -> "The request is malformed (its request line, headers, URL or body framing break HTTP rules).";
            case 401 -> "This request needs credentials.";
            case 403 -> "This request is not allowed.";
            case 404 -> "There is nothing at" + (at.isEmpty() ? " this address" : at) + ".";
            case 405 -> "That method is not allowed on" + (at.isEmpty() ? " this address" : at) + ".";
            case 406 -> "This resource is only available as JSON.";
            case 408 -> "The request took too long to arrive.";
            case 411 -> "The request needs a Content-Length.";
            case 413 -> "The request body is larger than allowed.";
            case 414 -> "The URL is longer than allowed.";
            case 415 -> "The request body must be sent as application/json in UTF-8.";
            case 417 -> "The Expect header asks for something this server does not do.";
            case 429 -> "Too many requests; retry shortly.";
            case 431 -> "The request headers are larger than allowed.";
            case 501 -> "The server does not support what the request asks for (such as that transfer encoding).";
            case 503 -> "The service is unavailable; retry shortly.";
            case 505 -> "That HTTP version is not supported; use HTTP/1.1.";
            default -> status >= 500 ? "An unexpected error occurred; it has been logged." : "The request failed.";
        };
    }
}
