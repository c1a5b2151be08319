package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;

import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operators' dashboard in a real headless Chromium: it shows the loaded coalition, says its stream is
 * connected, and when a cluster joins through membership-service its counters and lists change without a reload;
 * when the totals stall, it says so.
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "desktop, 1400, 1000", "phone, 390, 844" })
    void theWholePageFitsTheScreenFromAPhoneToADesktop(String screen, int width, int height) throws Exception {
        browser.manage().window().setSize(new Dimension(width, height));
        try {
            browser.get(system.reporting.baseUri() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            // Other tests of this class add clusters: any count will do, once the page has one.
            wait.until(page -> page.findElement(By.id("clusters")).getText().matches("[0-9,]+"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("newest"), "joined"));
            JavascriptExecutor page = browser;
            long viewport = (Long) page.executeScript("return document.documentElement.clientWidth");
            long content = (Long) page.executeScript("return document.documentElement.scrollWidth");
            assertThat(content).as("the page's width on a %s of %d px", screen, viewport).isLessThanOrEqualTo(viewport);
            Path screenshot = Path.of("target", "screenshots", "dashboard-" + screen + ".png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.manage().window().setSize(new Dimension(1400, 1000));
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
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("by-country"), "United Kingdom"));
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

    @Test
    void theBreakdownsNameCountriesAndSectorsAsPeopleDoAndShowEveryRowOnAsk() {
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("by-country"), "United Kingdom"));
        int countries = given().baseUri(system.reporting.baseUri()).when().get("/coalition/countries")
                .then().statusCode(200).extract().jsonPath().getList("$").size();
        assertThat(countries).as("the roster's countries, more than a breakdown first shows").isGreaterThan(12);
        assertThat(browser.findElements(By.cssSelector("#by-country tr"))).hasSize(12);

        WebElement showAll = browser.findElement(By.cssSelector(".show-all[data-for='by-country']"));
        assertThat(showAll.getText()).isEqualTo("Show all " + countries);
        showAll.click();
        wait.until(page -> page.findElements(By.cssSelector("#by-country tr")).size() == countries);
        assertThat(showAll.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(browser.findElement(By.id("by-sector")).getText()).contains("Hydrogen").doesNotContain("_");
        assertThat(browser.findElement(By.id("by-country")).findElements(By.tagName("td")))
                .as("clusters, emissions, jobs and GDP for each country").hasSize(4 * countries);
    }

    /**
     * Metrics-service's database writes held back (a lock, as a stuck migration would hold it) past the thresholds:
     * the gauge, the health check, the totals' freshness and the dashboard all say so, and all recover once the lock
     * goes. The thresholds of this system are 5 s (CoalitionSystem).
     */
    @Test
    void aStallShowsOnTheGaugeTheHealthCheckTheTotalsAndTheDashboardThenClears() throws Exception {
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "stream connected"));
        long clustersBefore = system.coalition("").getLong("clusters");
        PostgresDatabase metricsDatabase = PostgresDatabase.named(system.prefix + "_metrics");
        try (Connection lock = DriverManager.getConnection(metricsDatabase.jdbcUrl(), metricsDatabase.user(),
                metricsDatabase.password())) {
            lock.setAutoCommit(false);
            lock.createStatement().execute("LOCK TABLE consumer_position IN EXCLUSIVE MODE");
            long stalled = System.nanoTime();
            system.join("""
                    {"name": "Held Up Cluster", "country": "NO", "joinedOn": "2025-06-30", "sectors": ["CCS"],
                     "emissionsReductionMtPerYear": 1.000, "jobs": 1, "gdpUsdBn": 1.000}""");

            await().atMost(Duration.ofSeconds(60)).until(() -> gauge(system.metrics,
                    "cluster_events_oldest_unapplied_age_seconds") > 5);
            long toGauge = millisSince(stalled);
            await().atMost(Duration.ofSeconds(60)).until(() -> given().baseUri(system.metrics.baseUri())
                    .when().get("/q/health/well").statusCode() == 503);
            long toHealth = millisSince(stalled);
            await().atMost(Duration.ofSeconds(60)).until(() -> system.coalition("").getBoolean("freshness.stale"));
            long toTotals = millisSince(stalled);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stale")));
            long toDashboard = millisSince(stalled);
            assertThat(browser.findElement(By.id("stale-reasons")).getText()).contains("metrics-service may be stalled");
            assertThat(given().baseUri(system.metrics.baseUri()).when().get("/q/health/live").statusCode())
                    .isEqualTo(200);
            System.out.printf("A stall shows after: gauge %d ms, health check %d ms, GET /coalition %d ms, "
                    + "dashboard %d ms (thresholds 5 s)%n", toGauge, toHealth, toTotals, toDashboard);
            lock.rollback();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> system.coalition("").getLong("clusters") == clustersBefore + 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> !system.coalition("").getBoolean("freshness.stale"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("stale")));
        assertThat(given().baseUri(system.metrics.baseUri()).when().get("/q/health/well").statusCode())
                .isEqualTo(200);
        assertThat(gauge(system.metrics, "cluster_events_oldest_unapplied_age_seconds")).isZero();
    }

    private static double gauge(ServiceProcess service, String name) {
        return given().baseUri(service.baseUri()).when().get("/q/metrics").then().extract().asString().lines()
                .filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                        line.substring(name.length() + 1).trim()))
                .findFirst().orElse(Double.NaN);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
