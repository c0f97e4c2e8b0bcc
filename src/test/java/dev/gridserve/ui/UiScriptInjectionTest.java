package dev.gridserve.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.Http;
import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TestKeys;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.node.ObjectNode;

/**
 * Products whose every text field holds HTML and script payloads are shown in the grid, the facet lists, the
 * edit dialog, an error message and the stats charts: no payload may run or become an element, and each must
 * be readable as text. A payload that ran sets {@code window.__xss} or changes the title.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class UiScriptInjectionTest {
    static final PostgresSchema PG = new PostgresSchema();
    static ChromeDriver driver;

    static final String IMG = "<img src=x onerror=\"window.__xss=1;document.title='xss'\">";
    static final String SVG = "<svg onload=\"window.__xss=2\">";
    static final String SCRIPT = "\"><script>window.__xss=3</script>";
    static final String JS_URL = "javascript:window.__xss=4";
    static final String IFRAME = "<iframe srcdoc=\"<script>parent.__xss=5</script>\"></iframe>";

    /** Field values of the planted products; every one is a payload (SKUs and tags within their limits). */
    static final List<Map<String, Object>> PRODUCTS = List.of(
            Map.of(
                    "name",
                    "Evil " + IMG,
                    "description",
                    SVG + " " + SCRIPT + " " + IFRAME,
                    "category",
                    SCRIPT,
                    "sku",
                    "<svg onload=window.__xss=6>",
                    "brand",
                    IMG,
                    "tags",
                    List.of("<img src=x onerror=window.__xss=7>", "<svg onload=window.__xss=8>")),
            Map.of(
                    "name",
                    "Evil " + JS_URL,
                    "description",
                    IMG,
                    "category",
                    IMG,
                    "sku",
                    "\"><script>window.__xss=9</script>",
                    "brand",
                    SVG,
                    "tags",
                    List.of(JS_URL, "\"><b onmouseover=window.__xss=10>")));

    /** Where a payload would land if it were parsed as HTML; the UI itself puts no such elements there. */
    static final String PLANTED_ELEMENTS = String.join(
            ", ",
            List.of("#grid .tabulator-row", ".facet", "dialog", "#error", ".chart").stream()
                    .flatMap(scope -> List.of("img", "svg", "iframe", "script", "b").stream()
                            .map(tag -> scope + " " + tag))
                    .toList());

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        PG.register(r);
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

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Nothing a payload would do has happened, and no payload became an element. */
    void assertInert(String where) {
        assertThat(js("return window.__xss === undefined ? null : String(window.__xss);"))
                .as("a payload ran in " + where)
                .isNull();
        assertThat(driver.getTitle()).as(where).isEqualTo("gridserve — products");
        assertThat(((Number) js("return document.querySelectorAll(arguments[0]).length;", PLANTED_ELEMENTS)).intValue())
                .as("payload elements in " + where)
                .isZero();
    }

    String text(String cssSelector) {
        return (String) js(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent).join('\\n');",
                cssSelector);
    }

    @Test
    void payloadsInEveryFieldAreShownAsTextAndNeverRun() throws Exception {
        Http http = new Http(port);
        for (Map<String, Object> p : PRODUCTS) {
            ObjectNode body = Http.JSON.createObjectNode();
            p.forEach(body::putPOJO);
            body.put("price", 9.99);
            body.put("stock", 3);
            Http.Response r = http.post("/api/v1/products", body.toString());
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
        }

        String csp = http.get("/").header("Content-Security-Policy");
        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
        assertThat(csp.replaceAll(".*script-src([^;]*).*", "$1")).doesNotContain("unsafe");

        driver.get("http://127.0.0.1:" + port + "/");
        js("sessionStorage.setItem('gridserve.apiKey', arguments[0]);", TestKeys.ADMIN); // signed in as admin
        driver.navigate().refresh();
        Browser.waitFor(driver).until(d -> text("#grid .tabulator-row").contains("Evil"));
        Thread.sleep(300); // let any injected handler fire
        String grid = text("#grid .tabulator-row");
        for (String payload : List.of(IMG, JS_URL, SCRIPT, "<svg onload=window.__xss=6>")) {
            assertThat(grid).as("grid shows the payload as text").contains(payload);
        }
        assertThat(grid).contains("<img src=x onerror=window.__xss=7>, <svg onload=window.__xss=8>");
        assertInert("the grid");

        String facets = text(".facet");
        assertThat(facets).contains(SCRIPT, IMG, SVG, "<img src=x onerror=window.__xss=7>", JS_URL);
        assertInert("the facet lists");

        // a facet filter, then the edit dialog of a planted product
        driver.findElement(By.cssSelector("#facet-category input[type=checkbox]"))
                .click();
        Browser.waitFor(driver).ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElement(By.cssSelector("#grid .tabulator-row button.edit")).click();
            return true;
        });
        Browser.waitFor(driver).until(d -> d.findElement(By.id("editor")).isDisplayed());
        String name = (String) js("return document.getElementById('f-name').value;");
        assertThat(name).startsWith("Evil ");
        assertInert("the edit dialog");

        // an error message that quotes a payload: a duplicate SKU
        driver.findElement(By.id("cancel-edit")).click();
        driver.findElement(By.id("new-row")).click();
        for (String[] f : new String[][] {
            {"f-name", "Copy"},
            {"f-description", "d"},
            {"f-price", "1"},
            {"f-category", "c"},
            {"f-stock", "1"},
            {"f-sku", "<svg onload=window.__xss=6>"}
        }) {
            js("document.getElementById(arguments[0]).value = arguments[1];", f[0], f[1]);
        }
        driver.findElement(By.id("save-row")).click();
        Browser.waitFor(driver).until(d -> !text("#form-error").isEmpty());
        assertThat(text("#form-error")).contains("<svg onload=window.__xss=6>");
        assertInert("an error message");
        Browser.screenshot(driver, "10-injection-dialog-error");
        driver.findElement(By.id("cancel-edit")).click();

        // the stats view: axis labels and every tooltip
        driver.findElement(By.id("clear-filters")).click();
        driver.findElement(By.id("show-stats")).click();
        Browser.waitFor(driver)
                .until(d ->
                        !d.findElements(By.cssSelector("#chart-groups canvas")).isEmpty());
        js("const c = echarts.getInstanceByDom(document.getElementById('chart-groups'));"
                + "const n = c.getOption().xAxis[0].data.length;"
                + "for (let i = 0; i < n; i++) { c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i}); }");
        Thread.sleep(500);
        assertInert("the stats view");
        Browser.screenshot(driver, "11-injection-stats");
        assertThat(Browser.cspViolations(driver))
                .as("the UI's own assets obey its policy")
                .isEmpty();

        // and a missed escape still could not run: the policy blocks inline handlers and scripts
        js("document.body.insertAdjacentHTML('beforeend', arguments[0]);", IMG + SCRIPT);
        Thread.sleep(300);
        assertThat(js("return window.__xss === undefined;")).isEqualTo(true);
        assertThat(Browser.cspViolations(driver)).isNotEmpty();
    }
}
