package dev.gridserve.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service under test as a separate OS process. */
final class AppProcess implements AutoCloseable {
    final Process process;
    final int port;
    final long readyMillis;
    final Path log;

    private AppProcess(Process process, int port, long readyMillis, Path log) {
        this.process = process;
        this.port = port;
        this.readyMillis = readyMillis;
        this.log = log;
    }

    static List<String> command(String java, String jar, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                java, "-Xmx2g", "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
                "-jar", jar));
        cmd.addAll(args);
        return cmd;
    }

    /** Runs the jar to completion (e.g. {@code --seed=N --exit}) and returns its output. */
    static String runToEnd(String java, String jar, Map<String, String> env, List<String> args, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(java, jar, args)).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().putAll(env);
        int code = pb.start().waitFor();
        String out = Files.readString(log);
        if (code != 0) {
            throw new IllegalStateException("gridserve exited with " + code + "; see " + log);
        }
        return out;
    }

    static AppProcess start(String java, String jar, Map<String, String> env, int port, Path log)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(java, jar, List.of())).redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("PORT", Integer.toString(port));
        long t0 = System.nanoTime();
        Process p = pb.start();
        HttpClient c = HttpClient.newHttpClient();
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("gridserve died while starting; see " + log);
            }
            try {
                HttpResponse<String> r = c.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new AppProcess(p, port, (System.nanoTime() - t0) / 1_000_000, log);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
    }

    /** Resident set size of the process in MiB, from /proc. */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0;
            }
        }
        return -1;
    }

    static double firstNumber(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
