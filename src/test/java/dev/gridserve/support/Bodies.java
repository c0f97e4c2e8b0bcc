package dev.gridserve.support;

/** Request bodies shared by tests. */
public final class Bodies {
    private Bodies() {}

    /** A valid product whose name contains "Convergent" and its SKU. */
    public static String product(String sku, int price) {
        return """
                {"name":"Convergent %s","description":"d","price":%d,"category":"C","stock":1,"sku":"%s"}""".formatted(sku, price, sku);
    }
}
