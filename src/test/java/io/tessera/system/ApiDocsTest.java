package io.tessera.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.testing.Response;
import io.tessera.testing.TestDatabases;
import io.tessera.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The rendered API reference at /docs: the page and its assets answer, and in Debian's chromium it renders
 * openapi.yaml under its Content-Security-Policy. The page reads no database: one server, on H2.
 */
class ApiDocsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestDatabases.H2);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void docsIsAnHtmlPageWithoutInlineScriptsWhoseAssetsAnswer() {
        Response page = server.get("/docs", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self';");
        assertThat(page.body()).contains("<div id=\"swagger-ui\"></div>")
                .contains("<script src=\"/docs/swagger-ui-bundle.js\"></script>")
                .contains("<script src=\"/docs/docs.js\"></script>")
                .doesNotContain("<script>");
        for (String asset : new String[] {"swagger-ui-bundle.js", "docs.js", "swagger-ui.css", "favicon-32x32.png"}) {
            Response r = server.get("/docs/" + asset, null);
            assertThat(r.status()).as(asset).isEqualTo(200);
            assertThat(r.body()).as(asset).isNotEmpty();
        }
        assertThat(server.get("/docs/swagger-ui.css", null).header("Content-Type")).startsWith("text/css");
        assertThat(server.get("/docs/docs.js", null).body()).contains("url: '/openapi.yaml'");
        Response missing = server.get("/docs/index.html", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void theBrowserRendersTheReferenceUnderTheContentSecurityPolicy() throws Exception {
        ChromeDriver browser = io.tessera.testing.Chromium.start();
        try {
            browser.get(server.url() + "/docs");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".swagger-ui .info .title"),
                    "Tessera API"));
            // The operations are listed, e.g. the redemption endpoint.
            wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".opblock-summary-path")));
            assertThat(browser.findElements(By.cssSelector(".opblock-summary-path")).stream()
                    .map(e -> e.getAttribute("data-path"))).contains("/v1/redemptions");
            assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                    .noneMatch(e -> e.getMessage().contains("Content Security Policy"));
        } finally {
            browser.quit();
        }
    }
}
