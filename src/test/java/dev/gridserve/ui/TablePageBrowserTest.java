package dev.gridserve.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gridserve.support.PostgresSchema;
import dev.gridserve.support.TestKeys;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The page built from a table's schema (/?t=orders; the products page is the same one), for orders, in headless Chromium: its columns, facet
 * filters, range filters, sorting, editor and stats all come from /api/v1/tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, args = "--seed-table=orders=600")
class TablePageBrowserTest {
    static final PostgresSchema PG = new PostgresSchema();
    static ChromeDriver driver;

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

    WebDriverWait waitFor() {
        return Browser.waitFor(driver);
    }

    long total() {
        String t = driver.findElement(By.id("total")).getText().replaceAll("[^0-9]", "");
        return t.isEmpty() ? -1 : Long.parseLong(t);
    }

    @SuppressWarnings("unchecked")
    List<String> cells(String field) {
        return (List<String>) ((JavascriptExecutor) driver)
                .executeScript("return Array.from(document.querySelectorAll('#grid .tabulator-row [tabulator-field="
                        + field + "]')).map(e => e.textContent);");
    }

    void fill(String id, String value) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(value);
    }

    @Test
    void ordersAreBrowsedFilteredSortedAndEditedFromTheirSchema() throws Exception {
        driver.get("http://127.0.0.1:" + port + "/?t=orders");
        waitFor().until(d -> total() == 600 && !cells("order_number").isEmpty());
        Browser.screenshot(driver, "t01-orders");
        List<String> tables = new ArrayList<>();
        new Select(driver.findElement(By.id("table-picker"))).getOptions().forEach(o -> tables.add(o.getText()));
        assertThat(tables).containsExactly("orders", "products");
        List<String> headers = new ArrayList<>();
        driver.findElements(By.cssSelector("#grid .tabulator-col-title")).forEach(h -> headers.add(h.getText()));
        assertThat(headers).contains("Order number", "Customer", "Status", "Total", "Placed at", "Tags");

        // a facet value narrows the rows to it, and the total is the count the facet showed
        WebElement paid = driver.findElement(By.cssSelector("#facet-status input[value=paid]"));
        long shown = Long.parseLong(paid.findElement(By.xpath(".."))
                .findElement(By.cssSelector(".count"))
                .getText()
                .replaceAll("[^0-9]", ""));
        paid.click();
        waitFor().until(d -> total() == shown && cells("status").stream().allMatch("paid"::equals));
        // a range filter from the schema's numeric field
        fill("min-total", "1000");
        driver.findElement(By.id("min-total")).sendKeys("\t");
        waitFor()
                .until(d -> total() < shown
                        && cells("total").stream()
                                .allMatch(t -> new BigDecimal(t).compareTo(BigDecimal.valueOf(1000)) >= 0));
        Browser.screenshot(driver, "t02-filtered");
        driver.findElement(By.id("clear-filters")).click();
        waitFor().until(d -> total() == 600);

        // sorting by a sortable column
        driver.findElement(By.cssSelector(".tabulator-col[tabulator-field=total] .tabulator-col-title"))
                .click();
        waitFor().until(d -> {
            List<String> t = cells("total");
            if (t.size() < 5) {
                return false;
            }
            for (int i = 1; i < t.size(); i++) {
                if (new BigDecimal(t.get(i - 1)).compareTo(new BigDecimal(t.get(i))) > 0) {
                    return false;
                }
            }
            return true;
        });

        // writing needs a key; the editor is built from the writable fields and shows the API's errors
        assertThat(driver.findElement(By.id("new-row")).isDisplayed()).isFalse();
        driver.findElement(By.id("sign-in")).click();
        waitFor().until(d -> d.findElement(By.id("signin")).isDisplayed());
        fill("api-key", TestKeys.ADMIN);
        driver.findElement(By.id("save-signin")).click();
        waitFor().until(d -> d.findElement(By.id("new-row")).isDisplayed());
        driver.findElement(By.id("new-row")).click();
        fill("f-order_number", "UI-ORDER-1");
        fill("f-customer", "Selenium Customer");
        new Select(driver.findElement(By.id("f-status"))).selectByValue("shipped");
        fill("f-country", "Portugal");
        fill("f-total", "99.90");
        fill("f-items", "0");
        fill("f-placed_at", "2026-11-20T10:00:00Z");
        fill("f-tags", "vip, ui");
        driver.findElement(By.id("save-row")).click();
        waitFor().until(d -> !d.findElement(By.id("err-items")).getText().isEmpty());
        assertThat(driver.findElement(By.id("err-items")).getText()).contains("between 1 and 1000");
        Browser.screenshot(driver, "t03-invalid");
        fill("f-items", "3");
        driver.findElement(By.id("save-row")).click();
        waitFor().until(d -> !d.findElement(By.id("editor")).isDisplayed());
        fill("search", "selenium customer");
        waitFor().until(d -> total() == 1 && cells("customer").equals(List.of("Selenium Customer")));
        assertThat(cells("tags")).containsExactly("vip, ui");
        Browser.screenshot(driver, "t04-created");

        // the Import button loads a file and shows the job until its report; the rejected row is named
        java.nio.file.Path csv = java.nio.file.Files.createTempFile("orders-", ".csv");
        java.nio.file.Files.writeString(
                csv,
                "order_number,customer,status,country,total,items,placed_at\n"
                        + "UI-IMP-1,Imported One,paid,Peru,5,1,2026-01-01T00:00:00Z\n"
                        + "UI-IMP-2,Imported Two,paid,Peru,6,1,2026-01-01T00:00:00Z\n"
                        + "UI-IMP-3,Imported Three,lost,Peru,7,1,2026-01-01T00:00:00Z\n");
        driver.findElement(By.id("import-file")).sendKeys(csv.toString());
        waitFor().until(d -> d.findElement(By.id("import-status")).getText().startsWith("Imported:"));
        assertThat(driver.findElement(By.id("import-status")).getText())
                .contains("2 inserted", "1 rejected", "Line 4: 'status'");
        Browser.screenshot(driver, "t04b-imported");
        fill("search", "imported");
        waitFor().until(d -> total() == 2);
        fill("search", "selenium customer");
        waitFor().until(d -> total() == 1);

        // the stats view: a tile per figure and the rows per status
        driver.findElement(By.id("show-stats")).click();
        waitFor().until(d -> d.findElement(By.id("stats-summary")).getText().contains("Avg total"));
        assertThat(driver.findElement(By.id("stats-summary")).getText()).contains("Rows");
        Browser.screenshot(driver, "t05-stats");
        assertThat(Browser.cspViolations(driver))
                .as("the page runs under the content security policy")
                .isEmpty();
    }
}
