package dev.gridserve.bench;

/**
 * Closed-loop load against an already running service, for profiling one mix in isolation:
 * {@code Load <port> <products> <reads|writes|cached> <clients> <seconds>}.
 */
public final class Load {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]);
        long products = Long.parseLong(a[1]);
        int clients = Integer.parseInt(a[3]);
        int seconds = Integer.parseInt(a[4]);
        HttpLoad http = new HttpLoad(port);
        var mix = a[2].equals("writes")
                ? Shapes.mixedWithWrites(http.base, products)
                : Shapes.mixedReads(http.base, products);
        http.throughput(mix, clients, Math.max(1, seconds / 4)); // warm-up
        System.out.printf("%s c%d: %.1f req/s%n", a[2], clients, http.throughput(mix, clients, seconds));
    }
}
