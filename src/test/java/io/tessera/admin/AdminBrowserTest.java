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
import org.openqa.selenium.StaleElementReferenceException;
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

    // Every lookup waits for its element, and looks again when the page it was found on was replaced meanwhile: a
    // click that submits a form returns before the next page is there, and a loaded machine makes that window long.

    private WebElement field(String label) {
        return wait.ignoring(StaleElementReferenceException.class).until(d -> detached(() -> {
            WebElement l = d.findElement(By.xpath("//label[normalize-space()='" + label + "']"));
            return d.findElement(By.id(l.getDomAttribute("for")));
        }));
    }

    private void button(String text) {
        click(By.xpath("//button[normalize-space()='" + text + "']"));
    }

    private void link(String text) {
        click(By.linkText(text));
    }

    /**
     * Clicks, and when the click loads a page (a link, or a form htmx does not handle) waits until the page it was on
     * is gone, so that the next lookup finds the new page's elements rather than the old one's.
     */
    private void click(By by) {
        WebElement page = browser.findElement(By.tagName("html"));
        // Answers a string: until() takes false for "not yet" and would click again.
        boolean loads = "loads".equals(wait.ignoring(StaleElementReferenceException.class).until(d -> detached(() -> {
            WebElement e = d.findElement(by);
            Boolean navigates = (Boolean) browser.executeScript("const e = arguments[0]; const f = e.form;"
                    + "const htmx = x => x != null && ['hx-get', 'hx-post'].some(a => x.hasAttribute(a));"
                    + "return e.tagName === 'A' ? !htmx(e) : f != null && !htmx(f) && !htmx(e);", e);
            e.click();
            return Boolean.TRUE.equals(navigates) ? "loads" : "stays";
        })));
        if (!loads) return;
        try {
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> {
                try {
                    page.isEnabled();
                    return false;
                } catch (org.openqa.selenium.WebDriverException gone) {
                    return true; // stale, or "does not belong to the document": Chromium's words for the same
                }
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            // Not loaded after all (the browser refused the form, say): the test's next check says what is wrong.
        }
    }

    private String h1() {
        return wait.ignoring(StaleElementReferenceException.class).until(d -> detached(() -> d.findElement(By.tagName("h1")).getText()));
    }

    /** {@code lookup}'s answer, or null (look again) when its element left the page meanwhile. */
    private static <T> T detached(java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e instanceof StaleElementReferenceException || String.valueOf(e.getMessage()).contains("does not belong to the document"))
                return null;
            throw e;
        }
    }

    /** Waits for the page whose heading is {@code expected} (the one before it may still be showing). */
    private void awaitH1(String expected) {
        try {
            wait.ignoring(StaleElementReferenceException.class)
                    .until(d -> expected.equals(detached(() -> d.findElement(By.tagName("h1")).getText())));
        } catch (org.openqa.selenium.TimeoutException e) {
            awaitH1(expected);
        }
    }

    /** Signs in as a new user of {@code role} and picks this test's project in the "Project" select. */
    private String signIn(Role role) {
        String email = AdminSession.user(server, role);
        open("/admin");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        field("Email").sendKeys(email);
        field("Password").sendKeys(AdminSession.PASSWORD);
        button("Sign in");
        awaitH1("Dashboard");
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
        awaitH1("New campaign");
        field("Name").sendKeys("autumn");
        field("Code").sendKeys("AUTUMN");
        field("Percent").sendKeys("15");
        screenshot("campaign-form");
        button("Create campaign");
        awaitH1("autumn");
        assertThat(browser.findElement(By.id("campaign-status")).getText()).isEqualTo("Active");
        button("Pause");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "Paused"));
        button("Resume");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "Active"));
        screenshot("campaign");
        button("Archive");
        wait.until(ExpectedConditions.textToBe(By.id("campaign-status"), "Archived"));
        link("Audit log");
        awaitH1("Audit log");
        String log = browser.findElement(By.tagName("main")).getText();
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
        awaitH1("tenoff");
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

    private WebElement tabToButton(String text) {
        return tabTo("the button " + text, e -> e.getTagName().equals("button") && e.getText().trim().equals(text));
    }

    /** Tabs to the control named {@code label} (its aria-label) and checks that its focus is visible. */
    private WebElement tabToNamed(String label) {
        WebElement e = tabTo(label, f -> label.equals(f.getDomAttribute("aria-label")));
        assertThat(e.getCssValue("outline-style")).as("the focus of " + label + " is visible").isEqualTo("solid");
        return e;
    }

    /** Signs in as a new user of {@code role} and switches to this test's project with the keyboard alone. */
    private String signInByKeyboard(Role role) {
        String email = AdminSession.user(server, role);
        open("/admin");
        WebElement emailField = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        assertThat(browser.switchTo().activeElement()).isEqualTo(emailField); // autofocus
        emailField.sendKeys(email, Keys.TAB);
        browser.switchTo().activeElement().sendKeys(AdminSession.PASSWORD, Keys.ENTER);
        awaitH1("Dashboard");
        String project = server.get("/v1/project", key).json().get("name").asText();
        tabToField("project-select").sendKeys(project); // typing picks the option, as a keyboard user does
        assertThat(new Select(field("Project")).getFirstSelectedOption().getText()).isEqualTo(project);
        tabToButton("Switch").sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Dashboard"));
        return email;
    }

    private void tabToPage(String link) {
        tabToLink(link).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), link));
    }

    @Test
    void aCampaignIsCreatedWithTheKeyboardAlone() {
        signInByKeyboard(Role.OWNER);
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
        awaitH1("looked");
        assertThat(browser.findElements(By.xpath("//button[normalize-space()='Pause' or normalize-space()='Archive']")))
                .isEmpty();
    }

    // Codes, redemptions and customers

    private void uniqueCampaign(String name, int count) {
        assertThat(api().post("/v1/campaigns", Map.of("name", name, "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                "pattern", "Q-########", "count", count), "discount", Map.of("type", "PERCENT", "percent", 10)))
                .status()).isEqualTo(201);
    }

    private String notice() {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".notice[role=status]"))).getText();
    }

    @Test
    void supportSearchesAndDisablesACodeAndTheAuditLogShowsIt() throws Exception {
        uniqueCampaign("found", 5);
        var all = api().get("/v1/campaigns/found/codes").json().get("data");
        String code = all.get(0).get("code").asText(), other = all.get(1).get("code").asText();
        String email = signIn(Role.SUPPORT);
        open("/admin/codes?campaign=found");
        field("Search codes").sendKeys(code.toLowerCase(java.util.Locale.ROOT));
        button("Search");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("caption"), "Codes of found"));
        String table = browser.findElement(By.tagName("table")).getText();
        assertThat(table).contains(code).doesNotContain(other);
        browser.findElement(By.cssSelector("button[aria-label='Disable " + code + "']")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[aria-label='Enable " + code + "']")));
        assertThat(api().get("/v1/codes/" + code).json().get("active").asBoolean()).isFalse();
        screenshot("codes");
        link("Audit log");
        awaitH1("Audit log");
        // The newest entry first: what was done, to which code, by whom, with its field-by-field diff.
        assertThat(browser.findElement(By.cssSelector("article.audit-entry")).getText()).contains("user: " + email)
                .contains("code.updated").contains("code/" + code).contains("active");
    }

    @Test
    void supportRollsARedemptionBackWithAReasonAfterConfirming() {
        api().post("/v1/campaigns", Map.of("name", "undo", "type", "CODES", "codes", Map.of("mode", "UNIVERSAL",
                "code", "UNDO"), "discount", Map.of("type", "PERCENT", "percent", 10)));
        String id = api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", java.util.List.of("UNDO"), "order",
                Map.of("currency", "USD", "items", java.util.List.of(Map.of("sku", "A", "quantity", 1, "price", 5000)))))
                .json().get("id").asText();
        signIn(Role.SUPPORT);
        link("Redemptions");
        awaitH1("Redemptions");
        // Nothing is rolled back until confirmed: "Roll back" only opens the reason and the confirmation.
        browser.findElement(By.xpath("//summary[normalize-space()='Roll back']")).click();
        field("Reason").sendKeys("order cancelled by phone");
        button("Confirm rollback");
        WebElement cell = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//td[starts-with(normalize-space(), 'rolled back by user:usr_')]")));
        assertThat(cell.getText()).endsWith(": order cancelled by phone");
        var redemption = api().get("/v1/redemptions/" + id).json();
        assertThat(redemption.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(redemption.get("rollbackReason").asText()).isEqualTo("order cancelled by phone");
        assertThat(cell.getText()).contains(redemption.get("rolledBackBy").asText());
    }

    @Test
    void supportAdjustsPointsOnACustomersPage() throws Exception {
        api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                java.util.List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")))));
        api().put("/v1/customers/c-ana", Map.of("attributes", Map.of("name", "Ana"), "consents", Map.of("email", true)));
        api().post("/v1/orders", Map.of("id", "o-1", "customer", "c-ana", "status", "PAID", "currency", "USD",
                "items", java.util.List.of(Map.of("sku", "A", "quantity", 1, "price", 4000))));
        api().post("/v1/events", Map.of("customer", "c-ana", "type", "product_reviewed", "properties", Map.of("stars", 5)));
        String email = signIn(Role.SUPPORT);
        link("Customers");
        field("Customer id").sendKeys("c-ana");
        button("Open customer");
        awaitH1("c-ana");
        assertThat(browser.findElement(By.id("balance-stars")).getText()).isEqualTo("40");
        new Select(field("Program")).selectByVisibleText("stars");
        field("Points").sendKeys("25");
        field("Reason").sendKeys("parcel arrived late");
        button("Adjust points");
        assertThat(notice()).isEqualTo("Added 25 points in stars; the balance is 65.");
        assertThat(browser.findElement(By.id("balance-stars")).getText()).isEqualTo("65");
        assertThat(browser.findElement(By.xpath("//section[@aria-labelledby='ledger']//table")).getText())
                .contains("ADJUST 25 65 parcel arrived late");
        screenshot("customer");
        assertThat(api().get("/v1/audit?action=loyalty-member.adjusted").json().at("/data/0/actor/name").asText())
                .isEqualTo(email);
    }

    @Test
    void aMarketerPublishesACodeToACustomer() {
        uniqueCampaign("handout", 3);
        signIn(Role.MARKETER);
        link("Codes");
        new Select(field("Campaign")).selectByVisibleText("handout");
        button("Search");
        field("Customer id").sendKeys("c-77");
        button("Publish code");
        String said = notice();
        String code = api().get("/v1/campaigns/handout/codes?customer=c-77").json().at("/data/0/code").asText();
        assertThat(said).isEqualTo("Published " + code + " to customer c-77.");
        assertThat(browser.findElement(By.tagName("table")).getText()).contains(code + " yes c-77 0");
    }

    @Test
    void bulkGenerationShowsItsProgressUntilDone() throws Exception {
        uniqueCampaign("many", 0);
        signIn(Role.MARKETER);
        open("/admin/codes?campaign=many");
        field("Number of codes").sendKeys("50000");
        button("Generate codes");
        By progress = By.cssSelector("progress[aria-label='Generation progress']");
        wait.until(ExpectedConditions.attributeToBe(progress, "max", "50000")); // found again: htmx replaces it
        screenshot("generation");
        // The page is not reloaded: htmx polls the job and swaps the element in place until the job is done.
        browser.executeScript("window.tesseraMarker = 'still here';");
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(ExpectedConditions.textToBe(By.id("job-status"),
                "Done: 50,000 of 50,000 codes generated."));
        assertThat(browser.findElement(progress).getDomProperty("value")).isEqualTo("50000");
        assertThat(browser.executeScript("return window.tesseraMarker;")).isEqualTo("still here");
        assertThat(api().get("/v1/campaigns/many/codes?limit=1").json().get("data").size()).isEqualTo(1);
    }

    @Test
    void theCsvExportDownloadsTheCampaignsCodes() throws Exception {
        uniqueCampaign("exported", 4);
        api().post("/v1/campaigns/exported/publications", Map.of("customer", "c-5"));
        signIn(Role.VIEWER);
        open("/admin/codes?campaign=exported");
        WebElement export = browser.findElement(By.linkText("Export CSV"));
        // The link the browser would download, fetched with the browser's own session cookie.
        var cookie = browser.manage().getCookieNamed("tessera_session");
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(export.getDomProperty("href"))).header("Cookie", "tessera_session=" + cookie.getValue())
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
        java.util.List<String> lines = answer.body().lines().toList();
        assertThat(lines).hasSize(5).first().isEqualTo("code,campaign,active,customer,redemptions,createdAt,publishedAt");
        assertThat(lines).filteredOn(l -> l.contains(",c-5,")).hasSize(1);
        assertThat(answer.body()).isEqualTo(server.get("/v1/campaigns/exported/codes.csv", key).body());
    }

    // ---- loyalty, automations, webhooks, audit, approvals ----

    private void percentCampaign(String name, String code, int percent) {
        api().post("/v1/campaigns", Map.of("name", name, "type", "CODES", "codes", Map.of("mode", "UNIVERSAL",
                "code", code), "discount", Map.of("type", "PERCENT", "percent", percent)));
    }

    /** The rows of the diff table of the audit entry whose heading starts with {@code action}. */
    private String diffOf(String action) {
        WebElement entry = browser.findElement(By.xpath("//article[h2[starts-with(normalize-space(), '" + action
                + "')]]"));
        return entry.getText();
    }

    @Test
    void theAuditLogShowsAnEditAsAFieldByFieldDiff() throws Exception {
        percentCampaign("diffed", "DIFFED", 10);
        signIn(Role.OWNER);
        open("/admin/campaigns/diffed/edit");
        field("Percent").clear();
        field("Percent").sendKeys("25");
        button("Save changes");
        // The edit form's h1 ("Edit diffed") is there until the redirect lands: wait for the campaign's page.
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "diffed"));
        link("Audit log");
        new Select(field("Entity type")).selectByVisibleText("campaign");
        field("Action").sendKeys("campaign.updated");
        button("Filter");
        wait.until(ExpectedConditions.urlContains("action=campaign.updated"));
        WebElement row = browser.findElement(By.xpath("//table[contains(@class, 'diff')]//tr[th[normalize-space()="
                + "'discount.percent']]"));
        assertThat(row.getText()).isEqualTo("discount.percent 10 → 25");
        assertThat(browser.findElements(By.xpath("//article"))).hasSize(1);
        screenshot("audit-diff");
    }

    @Test
    void aFailedWebhookDeliveryIsRetriedFromTheUi() {
        try (io.tessera.testing.Receiver receiver = new io.tessera.testing.Receiver().answering(500)) {
            assertThat(api().post("/v1/webhooks", Map.of("name", "crm", "url", receiver.url(),
                    "events", java.util.List.of("redemption.created"), "secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                    .status()).isEqualTo(201);
            percentCampaign("hooked", "HOOK", 10);
            api().post("/v1/redemptions", Map.of("customer", "c-1", "codes", java.util.List.of("HOOK"), "order",
                    Map.of("currency", "USD", "items", java.util.List.of(Map.of("sku", "A", "quantity", 1, "price", 1000)))));
            receiver.await(calls -> calls.size() == 1);
            receiver.answering(200);
            signIn(Role.OWNER);
            link("Webhooks");
            link("crm");
            awaitH1("crm");
            WebElement line = browser.findElement(By.cssSelector("tbody tr"));
            assertThat(line.getText()).contains("redemption.created").contains("500");
            line.findElement(By.xpath(".//button[normalize-space()='Retry']")).click();
            awaitH1("crm");
            receiver.await(calls -> calls.size() == 2);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                browser.navigate().refresh();
                assertThat(browser.findElement(By.cssSelector("tbody tr")).getText()).contains("DELIVERED")
                        .contains("200");
            });
        }
    }

    @Test
    void aMarketersChangeToAnActiveCampaignWaitsForAnOwnersApprovalAndTheAuditLogNamesBoth() throws Exception {
        percentCampaign("guarded", "GUARDED", 10);
        assertThat(api().patch("/v1/project", Map.of("approvals", Map.of("campaigns", true))).status()).isEqualTo(200);
        String marketer = signIn(Role.MARKETER);
        open("/admin/campaigns/guarded/edit");
        field("Percent").clear();
        field("Percent").sendKeys("30");
        button("Save changes");
        awaitH1("Approvals");
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .isEqualTo("Your change waits for an owner's approval.");
        assertThat(browser.findElement(By.cssSelector("article.approval")).getText())
                .contains("campaign.patch · campaign/guarded").contains("discount.percent 10 → 30")
                .contains("Requested by " + marketer);
        // A marketer may not approve: no button, and the campaign is as it was.
        assertThat(browser.findElements(By.xpath("//button[normalize-space()='Approve']"))).isEmpty();
        assertThat(api().get("/v1/campaigns/guarded").json().at("/discount/percent").asInt()).isEqualTo(10);

        browser.manage().deleteAllCookies();
        String owner = signIn(Role.OWNER);
        link("Approvals");
        button("Approve");
        awaitH1("Approvals");
        assertThat(browser.findElement(By.xpath("//h2[normalize-space()='Decided']/following-sibling::table"))
                .getText()).contains("approved").contains(owner);
        assertThat(api().get("/v1/campaigns/guarded").json().at("/discount/percent").asInt()).isEqualTo(30);

        link("Audit log");
        assertThat(diffOf("approval.requested")).contains("by user: " + marketer);
        assertThat(diffOf("campaign.updated")).contains("by user: " + owner).contains("requested by " + marketer)
                .contains("discount.percent").contains("→ 30");
        screenshot("approvals");
    }

    @Test
    void aViewerIsShownNoControlThatChangesLoyaltyAutomationsWebhooksOrApprovals() {
        api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                java.util.List.of(Map.of("name", "base", "on", "order_paid", "points", "order.total / 100")))));
        api().post("/v1/campaigns", Map.of("name", "gift", "type", "CODES", "codes", Map.of("mode", "UNIQUE",
                "pattern", "G-#####", "count", 2), "discount", Map.of("type", "AMOUNT", "amount", 100)));
        assertThat(api().post("/v1/loyalty/stars/rewards", Map.of("name", "mug", "cost", 100, "grant",
                Map.of("campaign", "gift"))).status()).isEqualTo(201);
        assertThat(api().post("/v1/automations", Map.of("name", "greet", "on", "customer_created", "actions",
                java.util.List.of(Map.of("type", "PUBLISH_CODE", "campaign", "gift")))).status()).isEqualTo(201);
        assertThat(api().post("/v1/webhooks", Map.of("name", "crm", "url", "https://crm.example.com/hooks",
                "events", java.util.List.of("code.published"), "secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
                .status()).isEqualTo(201);
        signIn(Role.VIEWER);
        for (String page : java.util.List.of("Loyalty", "stars", "Automations", "greet", "Webhooks", "crm",
                "Approvals", "Audit log")) {
            link(page);
            awaitH1(page);
            // The only forms that post are the frame's own (switch project, sign out).
            assertThat(browser.findElements(By.cssSelector("main form[method=post]"))).as(page).isEmpty();
        }
    }

    // Keyboard only: Tab, Enter and Space, no click.

    @Test
    void aRedemptionIsRolledBackWithTheKeyboardAlone() {
        percentCampaign("undo", "UNDO", 10);
        String id = api().post("/v1/redemptions", io.tessera.testing.Bodies.checkout("c-1", java.util.List.of("UNDO"),
                5000)).json().get("id").asText();
        signInByKeyboard(Role.SUPPORT);
        tabToPage("Redemptions");
        tabToNamed("Roll back " + id).sendKeys(Keys.ENTER); // opens the reason and the confirmation
        tabToField("reason-" + id).sendKeys("returned by post");
        tabToNamed("Confirm rollback of " + id).sendKeys(Keys.SPACE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.xpath("//td[starts-with(normalize-space(), 'rolled back by user:usr_')]")));
        var redemption = api().get("/v1/redemptions/" + id).json();
        assertThat(redemption.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(redemption.get("rollbackReason").asText()).isEqualTo("returned by post");
    }

    @Test
    void pointsAreAdjustedOnACustomersPageWithTheKeyboardAlone() {
        api().post("/v1/campaigns", Map.of("name", "stars", "type", "LOYALTY", "loyalty", Map.of("earning",
                java.util.List.of(Map.of("name", "buy", "on", "order_paid", "points", "order.total / 100")))));
        api().put("/v1/customers/c-kim", Map.of("attributes", Map.of("name", "Kim"), "consents", Map.of()));
        signInByKeyboard(Role.SUPPORT);
        tabToPage("Customers");
        tabToField("customer-id").sendKeys("c-kim", Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "c-kim"));
        tabToField("adjust-program").sendKeys("stars");
        tabToField("adjust-points").sendKeys("30");
        tabToField("adjust-reason").sendKeys("birthday gift");
        tabToButton("Adjust points").sendKeys(Keys.ENTER);
        assertThat(notice()).isEqualTo("Added 30 points in stars; the balance is 30.");
        assertThat(api().get("/v1/loyalty/stars/members/c-kim").json().get("balance").asLong()).isEqualTo(30);
    }

    @Test
    void aPendingChangeIsApprovedWithTheKeyboardAlone() {
        percentCampaign("held", "HELD", 10);
        assertThat(api().patch("/v1/project", Map.of("approvals", Map.of("campaigns", true))).status()).isEqualTo(200);
        AdminSession marketer = new AdminSession(server).signedIn(AdminSession.user(server, Role.MARKETER), key);
        marketer.post("/admin/campaigns/held/pause", Map.of("_csrf", marketer.csrf("/admin/campaigns/held")));
        assertThat(api().get("/v1/campaigns/held").json().get("active").asBoolean()).isTrue();
        String owner = signInByKeyboard(Role.OWNER);
        tabToPage("Approvals");
        tabToButton("Approve").sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.xpath("//h2[normalize-space()='Decided']/following-sibling::table"), owner));
        assertThat(api().get("/v1/campaigns/held").json().get("active").asBoolean()).isFalse();
    }

    @Test
    void aCodeIsDisabledWithTheKeyboardAlone() {
        uniqueCampaign("keyed", 3);
        String code = api().get("/v1/campaigns/keyed/codes").json().at("/data/0/code").asText();
        signInByKeyboard(Role.SUPPORT);
        tabToPage("Codes");
        tabToField("code-campaign").sendKeys("keyed");
        tabToButton("Search").sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("caption"), "Codes of keyed"));
        tabToNamed("Disable " + code).sendKeys(Keys.SPACE);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("button[aria-label='Enable " + code + "']")));
        assertThat(api().get("/v1/codes/" + code).json().get("active").asBoolean()).isFalse();
    }

    @Test
    void anOwnerSetsTheApprovalPolicyInTheSettingsAndARefusedValueIsMarked() throws Exception {
        String owner = signIn(Role.OWNER);
        link("Settings");
        awaitH1("Settings");
        field("Points adjustments above").sendKeys("-5");
        button("Save settings");
        WebElement above = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-approvals-pointsAbove")));
        assertThat(above.getDomAttribute("aria-invalid")).isEqualTo("true");
        String describedBy = above.getDomAttribute("aria-describedby").split(" ")[0];
        assertThat(browser.findElement(By.id(describedBy)).getText()).startsWith("must be");
        assertThat(api().get("/v1/project").json().get("approvals").isNull()).isTrue();
        field("Changes to active campaigns wait for approval").click();
        field("Points adjustments above").clear();
        field("Points adjustments above").sendKeys("500");
        button("Save settings");
        assertThat(notice()).isEqualTo("Settings saved.");
        screenshot("settings");
        assertThat(api().get("/v1/project").json().get("approvals").toString())
                .isEqualTo("{\"campaigns\":true,\"pointsAbove\":500}");
        assertThat(api().get("/v1/audit?action=project.updated").json().at("/data/0/actor/name").asText())
                .isEqualTo(owner);
        link("Approvals");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("changes to active campaigns")
                .contains("more than 500 points");
    }
}
