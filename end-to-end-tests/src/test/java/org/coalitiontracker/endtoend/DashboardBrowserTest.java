package org.coalitiontracker.endtoend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;


/**
 * The operators' dashboard in a real headless Chromium: it shows the loaded coalition, says its stream is
 * connected, and when a cluster joins through membership-service its counters and lists change without a reload.
 * Needs Debian's {@code chromium} and {@code chromium-driver} (paths: CHROMIUM, CHROMEDRIVER).
 */
class DashboardBrowserTest {

    private static CoalitionSystem system;
    private static ChromeDriver browser;

    @BeforeAll
    static void startTheSystemAndABrowser() throws Exception {
        File driver = new File(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        if (!driver.canExecute() || !new File(chromium).canExecute()) {
            throw new IllegalStateException("The dashboard test needs " + chromium + " and " + driver
                    + ": apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        system = CoalitionSystem.start("e2e_dashboard");
        system.importRoster(CoalitionSystem.roster());
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver).build(), options);
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theCountersMoveWhenAClusterJoinsWithoutReloadingThePage() {
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.id("clusters"), "33"));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "stream connected"));
        assertThat(browser.findElement(By.id("countries")).getText()).isEqualTo("16");
        assertThat(browser.findElement(By.id("emissions")).getText()).isEqualTo("832.0");
        assertThat(browser.findElement(By.id("jobs")).getText()).isEqualTo("4,300,000");
        assertThat(browser.findElement(By.id("gdp")).getText()).isEqualTo("492.0");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apportioned")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("by-country"), "GB"));
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true");

        system.join("""
                        {"name": "Pilbara Hydrogen Hub", "country": "AU", "joinedOn": "2025-06-30",
                         "sectors": ["HYDROGEN"], "emissionsReductionMtPerYear": 15.846, "jobs": 69231,
                         "gdpUsdBn": 10.000}""");

        wait.until(ExpectedConditions.textToBe(By.id("clusters"), "34"));
        assertThat(browser.findElement(By.id("jobs")).getText()).isEqualTo("4,369,231");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("newest"), "Pilbara Hydrogen Hub"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage")).isEqualTo(true);
    }
}
