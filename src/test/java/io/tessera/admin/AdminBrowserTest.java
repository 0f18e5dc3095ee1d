package io.tessera.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.ServerPerDatabase;
import io.tessera.user.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin UI in Debian's chromium, found by the names a screen reader reads (labels, button texts, headings). Skipped
 * only when chromium or chromium-driver is not installed (CI installs them).
 */
class AdminBrowserTest extends ServerPerDatabase {
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void openBrowser() throws Exception {
        browser = io.tessera.testing.Chromium.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) browser.quit();
        browser = null;
    }

    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    private void open(String path) {
        browser.get(server.url() + path);
    }

    private WebElement field(String label) {
        WebElement l = browser.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
        return browser.findElement(By.id(l.getDomAttribute("for")));
    }

    private void button(String text) {
        browser.findElement(By.xpath("//button[normalize-space()='" + text + "']")).click();
    }

    private void link(String text) {
        browser.findElement(By.linkText(text)).click();
    }

    private String h1() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.tagName("h1"))).getText();
    }

    /** Signs in as a new user of {@code role} and picks this test's project in the "Project" select. */
    private String signIn(Role role) {
        String email = AdminSession.user(server, role);
        open("/admin");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        field("Email").sendKeys(email);
        field("Password").sendKeys(AdminSession.PASSWORD);
        button("Sign in");
        assertThat(h1()).isEqualTo("Dashboard");
        String project = server.get("/v1/project", key).json().get("name").asText();
        new Select(field("Project")).selectByVisibleText(project);
        button("Switch");
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        return email;
    }

    /**
     * The screenshots of docs/admin.md, taken when asked ({@code -Dtessera.screenshots=true}) so that a test run leaves
     * the working tree as it was.
     */
    private void screenshot(String name) throws Exception {
        if (!Boolean.getBoolean("tessera.screenshots") || !database.equals(io.tessera.testing.TestDatabases.H2)) return;
        Path target = Path.of("docs/img", name + ".png");
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aMarketerCreatesPausesResumesAndArchivesACampaignAndTheAuditLogNamesThem() throws Exception {
        String email = signIn(Role.MARKETER);
        link("Campaigns");
        link("New campaign");
        assertThat(h1()).isEqualTo("New campaign");
        field("Name").sendKeys("autumn");
        field("Code").sendKeys("AUTUMN");
        field("Percent").sendKeys("15");
        screenshot("campaign-form");
        button("Create campaign");
        assertThat(h1()).isEqualTo("autumn");
        assertThat(browser.findElement(By.id("campaign-status")).getText()).isEqualTo("Active");
        button("Pause");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "Paused"));
        button("Resume");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "Active"));
        screenshot("campaign");
        button("Archive");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "Archived"));
        link("Audit log");
        assertThat(h1()).isEqualTo("Audit log");
        String log = browser.findElement(By.tagName("table")).getText();
        assertThat(log).contains("user: " + email).contains("campaign.created").contains("campaign.archived");
    }

    @Test
    void aRefusedConditionIsMarkedInvalidWithItsMessageAsTyped() {
        signIn(Role.OWNER);
        open("/admin/campaigns/new");
        WebElement condition = field("Condition");
        condition.sendKeys("order.subtotl > 100");
        wait.until(ExpectedConditions.attributeToBe(condition, "aria-invalid", "true"));
        String describedBy = condition.getDomAttribute("aria-describedby");
        WebElement message = browser.findElement(By.id(describedBy.split(" ")[0]));
        assertThat(message.getText()).contains("subtotl");
    }

    @Test
    void theTestPanelShowsTheAppliedDiscountAndARejectionReason() throws Exception {
        api().post("/v1/campaigns", Map.of("name", "tenoff", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL",
                "code", "TENOFF"), "discount", Map.of("type", "PERCENT", "percent", 10)));
        for (int i = 1; i <= 3; i++) {
            api().post("/v1/redemptions", Map.of("customer", "c-" + i, "codes", java.util.List.of("TENOFF"), "order",
                    Map.of("currency", "USD", "items", java.util.List.of(Map.of("sku", "MUG", "quantity", i, "price", 1000)))));
        }
        signIn(Role.VIEWER);
        screenshot("dashboard");
        open("/admin/campaigns/tenoff");
        assertThat(h1()).isEqualTo("tenoff");
        field("Items").clear();
        field("Items").sendKeys("MUG, 2, 1000");
        field("Codes").clear();
        field("Codes").sendKeys("TENOFF, NOSUCH");
        button("Test");
        WebElement result = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#test-result ol")));
        assertThat(result.getText()).contains("tenoff").contains("200 off").contains("MUG: 200");
        assertThat(browser.findElement(By.cssSelector("#test-result .rejected")).getText()).contains("code_not_found");
        screenshot("test-panel");
        // htmx and the charts work under the Content-Security-Policy: the browser refused nothing.
        assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                .noneMatch(e -> e.getMessage().contains("Content Security Policy"));
    }

    /** Presses Tab until the focused element is {@code wanted} (at most 300 presses), then returns it. */
    private WebElement tabTo(String what, java.util.function.Predicate<WebElement> wanted) {
        for (int i = 0; i < 300; i++) {
            WebElement focused = browser.switchTo().activeElement();
            if (wanted.test(focused)) return focused;
            focused.sendKeys(Keys.TAB);
        }
        throw new AssertionError("Tab never reached " + what);
    }

    private WebElement tabToLink(String text) {
        return tabTo("the link " + text, e -> e.getTagName().equals("a") && e.getText().trim().equals(text));
    }

    private WebElement tabToField(String id) {
        return tabTo("the field " + id, e -> id.equals(e.getDomAttribute("id")));
    }

    @Test
    void aCampaignIsCreatedWithTheKeyboardAlone() {
        String email = AdminSession.user(server, Role.OWNER);
        open("/admin");
        WebElement emailField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        assertThat(browser.switchTo().activeElement()).isEqualTo(emailField); // autofocus
        emailField.sendKeys(email, Keys.TAB);
        browser.switchTo().activeElement().sendKeys(AdminSession.PASSWORD, Keys.ENTER);
        assertThat(h1()).isEqualTo("Dashboard");
        String project = server.get("/v1/project", key).json().get("name").asText();
        new Select(field("Project")).selectByVisibleText(project);
        tabTo("Switch", e -> e.getTagName().equals("button") && e.getText().equals("Switch")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        tabToLink("Campaigns").sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Campaigns"));
        tabToLink("New campaign").sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "New campaign"));
        tabToField("f-name").sendKeys("keyed");
        tabToField("f-codes-code").sendKeys("KEYED");
        tabToField("f-discount-percent").sendKeys("5");
        tabTo("Create campaign", e -> e.getText().equals("Create campaign")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "keyed"));
        assertThat(api().get("/v1/campaigns/keyed").json().at("/discount/percent").asInt()).isEqualTo(5);
    }

    @Test
    void aViewerIsShownNoControlThatChangesACampaign() {
        api().post("/v1/campaigns", Map.of("name", "looked", "type", "AUTO", "discount", Map.of("type", "PERCENT", "percent", 5)));
        signIn(Role.VIEWER);
        link("Campaigns");
        assertThat(browser.findElements(By.linkText("New campaign"))).isEmpty();
        link("looked");
        assertThat(h1()).isEqualTo("looked");
        assertThat(browser.findElements(By.xpath("//button[normalize-space()='Pause' or normalize-space()='Archive']")))
                .isEmpty();
    }
}
