package dev.gridserve.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The built-in UI in headless Chromium against the running app with 2,000 seeded products (see {@link Browser}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UiBrowserTest {
    static final PostgresSchema PG = new PostgresSchema();
    static ChromeDriver driver;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
        r.add("gridserve.data.seed-on-empty", () -> "2000");
    }

    @BeforeAll
    static void browser() {
        driver = Browser.start();
    }

    @AfterAll
    static void close() {
        if (driver != null) {
            driver.quit();
        }
        PG.drop();
    }

    @LocalServerPort
    int port;

    WebDriverWait waitFor() {
        return Browser.waitFor(driver);
    }

    /**
     * Clicks Edit until the editor opens: the grid re-renders or reloads its rows when changes arrive (as they do
     * right after the test's own writes), and a click can land on a row that is being replaced or on the
     * loading overlay.
     */
    void clickEditOnFirstRow() {
        waitFor()
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementClickInterceptedException.class)
                .until(d -> {
                    if (!d.findElement(By.id("editor")).isDisplayed()) {
                        d.findElement(By.cssSelector("#grid .tabulator-row button.edit"))
                                .click();
                    }
                    return d.findElement(By.id("editor")).isDisplayed();
                });
    }

    List<WebElement> rows() {
        return driver.findElements(By.cssSelector("#grid .tabulator-row"));
    }

    long total() {
        String t = driver.findElement(By.id("total")).getText().replaceAll("[^0-9]", "");
        return t.isEmpty() ? -1 : Long.parseLong(t);
    }

    /** Price cells of the rendered rows, read in one script call (rows re-render while sorting). */
    @SuppressWarnings("unchecked")
    List<Double> prices() {
        List<String> cells = (List<String>) ((JavascriptExecutor) driver)
                .executeScript(
                        "return Array.from(document.querySelectorAll('#grid .tabulator-row [tabulator-field=price]'))"
                                + ".map(e => e.textContent);");
        List<Double> out = new ArrayList<>();
        for (String c : cells) {
            out.add(Double.parseDouble(c));
        }
        return out;
    }

    void signIn(String key) {
        driver.findElement(By.id("sign-in")).click();
        waitFor().until(d -> driver.findElement(By.id("signin")).isDisplayed());
        fill("api-key", key);
        driver.findElement(By.id("save-signin")).click();
        waitFor().until(d -> !driver.findElement(By.id("signin")).isDisplayed());
    }

    void screenshot(String name) throws Exception {
        Browser.screenshot(driver, name);
    }

    @Test
    void theDataTableWorksEndToEnd() throws Exception {
        driver.get("http://127.0.0.1:" + port + "/");
        waitFor().until(d -> rows().size() > 0 && total() == 2000);
        screenshot("01-grid");

        // a row on screen changed by someone else is updated in place from the change stream, no reload asked
        Http admin = new Http(port);
        String newest = admin.get("/api/v1/products?page_size=1")
                .json()
                .get("products")
                .get(0)
                .get("_id")
                .asString();
        ((JavascriptExecutor) driver).executeScript("window.__marker = 'same page';");
        assertThat(admin.put("/api/v1/products/" + newest, "{\"name\": \"Pushed By The Stream\"}")
                        .status())
                .isEqualTo(200);
        waitFor().until(d -> driver.findElement(By.id("grid")).getText().contains("Pushed By The Stream"));
        assertThat((String) ((JavascriptExecutor) driver).executeScript("return window.__marker"))
                .isEqualTo("same page");

        // scrolling to the bottom loads the next page (cursor paging)
        int before = rows().size() > 0 ? countLoaded() : 0;
        ((JavascriptExecutor) driver)
                .executeScript(
                        "const h = document.querySelector('#grid .tabulator-tableholder'); h.scrollTop = h.scrollHeight;");
        waitFor().until(d -> countLoaded() > before);
        assertThat(countLoaded()).isGreaterThan(50);

        // sorting by price (ascending) orders the rows by price
        driver.findElement(By.cssSelector(".tabulator-col[tabulator-field=price] .tabulator-col-title"))
                .click();
        waitFor().until(d -> {
            List<Double> p = prices();
            return p.size() > 5 && isSorted(p);
        });
        screenshot("02-sorted-by-price");

        // search narrows the total
        driver.findElement(By.id("search")).sendKeys("laptop");
        waitFor().until(d -> total() > 0 && total() < 2000);
        screenshot("03-search");
        driver.findElement(By.id("clear-filters")).click();
        waitFor().until(d -> total() == 2000);

        // a category filter updates the facet counts (brands now counted within that category)
        String brandFacetsBefore = driver.findElement(By.id("facet-brand")).getText();
        driver.findElement(By.cssSelector("#facet-category input[type=checkbox]"))
                .click();
        waitFor()
                .until(d -> total() < 2000
                        && !driver.findElement(By.id("facet-brand")).getText().equals(brandFacetsBefore));
        screenshot("04-category-filter");
        driver.findElement(By.id("clear-filters")).click();
        waitFor().until(d -> total() == 2000);

        // anonymous visitors read but see no write buttons; signing in with a writer key shows them
        assertThat(driver.findElement(By.id("new-row")).isDisplayed()).isFalse();
        assertThat(driver.findElements(By.cssSelector("#grid .tabulator-row button.edit")))
                .noneMatch(WebElement::isDisplayed);
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("Read-only");
        Http api = new Http(port);
        signIn(api.post("/api/v1/admin/keys", "{\"name\":\"ui-writer\",\"role\":\"writer\"}")
                .json()
                .get("key")
                .stringValue());
        waitFor().until(d -> driver.findElement(By.id("new-row")).isDisplayed());
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("Signed in: ui-writer (writer)");
        assertThat((String) ((JavascriptExecutor) driver)
                        .executeScript("return sessionStorage.getItem('gridserve.apiKey')"))
                .startsWith("gs_");
        assertThat((String) ((JavascriptExecutor) driver).executeScript("return localStorage.length + ''"))
                .isEqualTo("0");
        screenshot("05-signed-in");

        // an invalid create shows the API's error next to the price field
        driver.findElement(By.id("new-row")).click();
        fill("f-name", "Selenium Test Lamp");
        fill("f-description", "Made by the browser test");
        fill("f-price", "0");
        fill("f-category", "Office");
        fill("f-stock", "4");
        fill("f-sku", "UI-TEST-0001");
        driver.findElement(By.id("save-row")).click();
        waitFor().until(d -> !driver.findElement(By.id("err-price")).getText().isEmpty());
        assertThat(driver.findElement(By.id("err-price")).getText()).contains("between 0.01 and 1000000");
        screenshot("06-invalid-price");

        // a valid create appears in the table
        WebElement price = driver.findElement(By.id("f-price"));
        price.clear();
        price.sendKeys("12.50");
        driver.findElement(By.id("save-row")).click();
        waitFor().until(d -> !driver.findElement(By.id("editor")).isDisplayed());
        driver.findElement(By.id("search")).sendKeys("Selenium Test Lamp");
        waitFor()
                .until(d -> total() == 1
                        && driver.findElement(By.id("grid")).getText().contains("Selenium Test Lamp"));
        screenshot("07-created");

        // edit it through the row's Edit button; the key is revoked meanwhile, so the save is refused, the UI
        // asks for a key, and with a new one the save goes through
        clickEditOnFirstRow();
        waitFor().until(d -> driver.findElement(By.id("editor")).isDisplayed());
        fill("f-price", "14.75");
        assertThat(api.delete("/api/v1/admin/keys/ui-writer").status()).isEqualTo(204);
        // the grid's own background reads now fail too and may ask for a key first; then the save is made after
        // signing in again (the UI retries whatever was refused)
        boolean saved;
        try {
            driver.findElement(By.id("save-row")).click();
            saved = true;
        } catch (ElementClickInterceptedException e) {
            saved = false;
        }
        waitFor().until(d -> driver.findElement(By.id("signin")).isDisplayed());
        assertThat(driver.findElement(By.id("signin-reason")).getText()).contains("API key is not valid");
        screenshot("08-asked-for-a-key");
        String second = api.post("/api/v1/admin/keys", "{\"name\":\"ui-writer-2\",\"role\":\"writer\"}")
                .json()
                .get("key")
                .stringValue();
        fill("api-key", second);
        driver.findElement(By.id("save-signin")).click();
        if (!saved) {
            waitFor().until(d -> !driver.findElement(By.id("signin")).isDisplayed());
            driver.findElement(By.id("save-row")).click();
        }
        waitFor().until(d -> !driver.findElement(By.id("editor")).isDisplayed());
        waitFor().until(d -> prices().equals(List.of(14.75)));
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("Signed in: ui-writer-2 (writer)");
        clickEditOnFirstRow();
        waitFor().until(d -> driver.findElement(By.id("delete-row")).isDisplayed());
        driver.findElement(By.id("delete-row")).click();
        driver.switchTo().alert().accept();
        waitFor().until(d -> total() == 0);

        // the stats view draws its chart (whole catalogue), from the generic summary every table answers in
        driver.findElement(By.id("clear-filters")).click();
        waitFor().until(d -> total() == 2000);
        driver.findElement(By.id("show-stats")).click();
        waitFor()
                .until(d -> !driver.findElements(By.cssSelector("#chart-groups canvas"))
                        .isEmpty());
        assertThat(driver.findElement(By.id("stats-summary")).getText()).contains("Rows", "Avg price", "Max rating");
        screenshot("09-stats");
        // every axis label is whole: compact units (2.1M), never a long number the chart's edge clips
        @SuppressWarnings("unchecked")
        List<String> labels = (List<String>) ((JavascriptExecutor) driver)
                .executeScript("const c = echarts.getInstanceByDom(document.getElementById('chart-groups'));"
                        + "return [0, 1].flatMap(i => c.getModel().getComponent('yAxis', i).axis.getViewLabels()"
                        + ".map(l => l.formattedLabel));");
        assertThat(labels).isNotEmpty().allSatisfy(l -> assertThat(l).matches("[0-9]{1,3}(\\.[0-9])?[KMBT]?"));
        assertThat(labels).as("both axes: rows and the average price").hasSizeGreaterThan(4);

        // signing out hides the write buttons again
        driver.findElement(By.id("show-grid")).click();
        driver.findElement(By.id("sign-out")).click();
        waitFor().until(d -> !driver.findElement(By.id("new-row")).isDisplayed());
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("Read-only");
        assertThat(Browser.cspViolations(driver))
                .as("the UI obeys its Content-Security-Policy")
                .isEmpty();
    }

    @Test
    void theApiDocsRenderFromTheJarUnderThePolicy() throws Exception {
        driver.get("http://127.0.0.1:" + port + "/docs");
        waitFor()
                .until(d ->
                        !d.findElements(By.cssSelector(".swagger-ui .opblock")).isEmpty());
        screenshot("10-swagger-ui");
        driver.get("http://127.0.0.1:" + port + "/redoc");
        waitFor().until(d -> d.getPageSource().contains("/api/v1/products/stats/summary"));
        screenshot("11-redoc");
        // ReDoc's attribution logo comes from Redocly's CDN: the policy blocks it and ReDoc hides it on error
        assertThat(Browser.cspViolations(driver))
                .as("the docs obey the Content-Security-Policy")
                .allMatch(m -> m.contains("Loading the image 'https://cdn.redoc.ly/redoc/logo-mini.svg'"));
    }

    private int countLoaded() {
        Object n =
                ((JavascriptExecutor) driver).executeScript("return Tabulator.findTable('#grid')[0].getDataCount();");
        return ((Number) n).intValue();
    }

    private void fill(String id, String value) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    private static boolean isSorted(List<Double> p) {
        for (int i = 1; i < p.size(); i++) {
            if (p.get(i) < p.get(i - 1)) {
                return false;
            }
        }
        return true;
    }
}
