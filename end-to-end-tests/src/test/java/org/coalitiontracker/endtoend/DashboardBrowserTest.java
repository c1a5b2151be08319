package org.coalitiontracker.endtoend;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.coalitiontracker.localinfra.PostgresDatabase;
import org.coalitiontracker.localinfra.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.restassured.path.json.JsonPath;

/**
 * The operators' dashboard in a real headless Chromium: it shows the loaded coalition, says its stream is
 * connected, and when a cluster joins through membership-service its counters, chart, map and lists change without
 * a reload; it follows by polling when the stream is blocked; when the totals stall, it says so; axe-core finds
 * nothing serious. Tests of this class add clusters to one shared system, so each expects what the API says now.
 * Needs Debian's {@code chromium} and {@code chromium-driver} (paths: CHROMIUM, CHROMEDRIVER).
 */
class DashboardBrowserTest {

    private static final NumberFormat INTEGER = NumberFormat.getIntegerInstance(Locale.US);
    private static final DecimalFormat DECIMAL = new DecimalFormat("#,##0.0", DecimalFormatSymbols.getInstance(Locale.US));

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
        List<String> roster = CoalitionSystem.roster();
        system.importRoster(roster);
        // The tests compare the page with the API before and after a change: the whole roster must have arrived.
        await().atMost(Duration.ofSeconds(120))
                .until(() -> system.coalition("").getLong("clusters") == roster.size() - 1);
        ChromeOptions options = new ChromeOptions().setBinary(chromium).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--lang=en-US", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
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
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "joined"));
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
    void theCountersTheChartAndTheMapMoveWhenAClusterJoinsWithoutReloadingThePage() {
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBe(By.id("connection"), "stream connected"));
        JsonPath coalition = system.coalition("");
        wait.until(ExpectedConditions.textToBe(By.id("clusters"), INTEGER.format(coalition.getLong("clusters"))));
        assertThat(browser.findElement(By.id("countries")).getText())
                .isEqualTo(INTEGER.format(coalition.getLong("countries")));
        assertThat(browser.findElement(By.id("emissions")).getText())
                .isEqualTo(DECIMAL.format(coalition.getDouble("emissionsReductionMtPerYear")));
        assertThat(browser.findElement(By.id("jobs")).getText()).isEqualTo(INTEGER.format(coalition.getLong("jobs")));
        assertThat(browser.findElement(By.id("gdp")).getText()).isEqualTo(DECIMAL.format(coalition.getDouble("gdpUsdBn")));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("apportioned")));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("by-country"), "United Kingdom"));
        wait.until(page -> isMember(page, "GB"));
        assertThat(isMember(browser, "CA")).as("Canada on the map before a Canadian cluster joins").isFalse();
        ((JavascriptExecutor) browser).executeScript("window.stillTheSamePage = true");

        system.join("""
                {"name": "Alberta Hydrogen Hub", "country": "CA", "joinedOn": "2025-07-15",
                 "sectors": ["HYDROGEN"], "emissionsReductionMtPerYear": 15.846, "jobs": 69231,
                 "gdpUsdBn": 10.000}""");

        wait.until(ExpectedConditions.textToBe(By.id("clusters"), INTEGER.format(coalition.getLong("clusters") + 1)));
        assertThat(browser.findElement(By.id("jobs")).getText())
                .isEqualTo(INTEGER.format(coalition.getLong("jobs") + 69231));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "Alberta Hydrogen Hub"));
        wait.until(page -> isMember(page, "CA"));
        wait.until(ExpectedConditions.attributeContains(By.id("history-table"), "textContent", "2025-07-15"));
        assertThat(((JavascriptExecutor) browser).executeScript("return window.stillTheSamePage")).isEqualTo(true);
    }

    @Test
    void theChartAndTheMapShowTheChosenFigureWithTooltipsAndATableForKeyboardAndScreenReaders() {
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        List<String> dates = given().baseUri(system.reporting.baseUri()).when().get("/coalition/history")
                .then().statusCode(200).extract().jsonPath().getList("asOf");
        int countries = given().baseUri(system.reporting.baseUri()).when().get("/coalition/countries")
                .then().statusCode(200).extract().jsonPath().getList("$").size();
        wait.until(page -> page.findElements(By.cssSelector("#history-table tr")).size() == dates.size());
        wait.until(page -> page.findElements(By.cssSelector("#map path.member")).size() == countries);

        new Select(browser.findElement(By.id("figure"))).selectByValue("jobs");
        assertThat(browser.findElement(By.id("chart-title")).getText()).isEqualTo("Jobs over time");
        assertThat(browser.findElement(By.id("map-legend")).getText()).startsWith("Jobs:");
        assertThat(browser.findElements(By.cssSelector("#history .y-label"))).as("the y-axis' labels").hasSizeGreaterThan(2);

        new Actions(browser).moveToElement(browser.findElement(By.id("history"))).perform();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("chart-tip")));
        assertThat(browser.findElement(By.id("chart-tip")).getText()).matches("\\d{4}-\\d{2}-\\d{2}: [0-9,]+ jobs \\(.+\\)");

        WebElement chart = browser.findElement(By.id("history"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", chart);
        new Actions(browser).sendKeys(Keys.END).perform();
        wait.until(ExpectedConditions.textMatches(By.id("chart-tip"),
                Pattern.compile("^" + dates.get(dates.size() - 1) + ": .*")));
        new Actions(browser).sendKeys(Keys.ARROW_LEFT).perform();
        wait.until(ExpectedConditions.textMatches(By.id("chart-tip"),
                Pattern.compile("^" + dates.get(dates.size() - 2) + ": .*")));

        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("#map path[data-code='AU']"))).perform();
        wait.until(ExpectedConditions.textMatches(By.id("map-tip"),
                Pattern.compile("^Australia: [0-9,]+ jobs, [0-9]+ clusters$")));

        long clustersNow = system.coalition("").getLong("clusters");
        long clustersThen = system.coalition("?asOf=2024-01-01").getLong("clusters");
        ((JavascriptExecutor) browser).executeScript(
                "const since = document.getElementById('since'); since.value = '2024-01-01';"
                        + "since.dispatchEvent(new Event('change'));");
        wait.until(ExpectedConditions.textToBe(By.id("clusters-change"),
                "+" + INTEGER.format(clustersNow - clustersThen) + " since 2024-01-01"));
    }

    @Test
    void theMembersCanBeSearchedIgnoringAccentsAndEachHasAPageWithItsVersions() {
        String location = system.join("""
                {"name": "Polo Industrial de Camaçari", "country": "BR", "joinedOn": "2025-09-01",
                 "sectors": ["CHEMICALS", "PETROCHEMICALS"], "emissionsReductionMtPerYear": 3.000, "jobs": 15000,
                 "gdpUsdBn": 4.000}""");
        given().baseUri(system.membership.baseUri()).auth().oauth2(system.publisherToken()).contentType("application/json")
                .body("""
                        {"emissionsReductionMtPerYear": 3.500, "jobs": 16000, "gdpUsdBn": 4.200,
                         "figuresBasis": "self-reported 2025"}""")
                .when().patch(URI.create(location).getPath() + "/figures")
                .then().statusCode(200);
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "joined"));

        browser.findElement(By.id("directory-q")).sendKeys("CAMACARI");
        wait.until(page -> page.findElements(By.cssSelector("#members li")).size() == 1);
        assertThat(browser.findElement(By.id("members")).getText()).startsWith("Polo Industrial de Camaçari");
        assertThat(browser.findElement(By.id("directory-position")).getText()).isEqualTo("1–1 of 1");

        browser.findElement(By.cssSelector("#members button.link")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("cluster-page")));
        assertThat(browser.findElement(By.id("cluster-name")).getText()).isEqualTo("Polo Industrial de Camaçari");
        wait.until(page -> page.findElements(By.cssSelector("#cluster-versions tr")).size() == 2);
        assertThat(browser.findElement(By.id("cluster-versions")).getText())
                .contains("joined", "figures revised", "15,000", "16,000");
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("cluster-page")));

        browser.findElement(By.id("directory-q")).clear();
        new Select(browser.findElement(By.id("directory-country"))).selectByVisibleText("Brazil");
        long brazilian = given().baseUri(system.reporting.baseUri()).queryParam("country", "BR").when().get("/clusters")
                .then().extract().jsonPath().getLong("total");
        wait.until(ExpectedConditions.textToBe(By.id("directory-position"),
                (brazilian > 10 ? "1–10" : "1–" + brazilian) + " of " + brazilian));

        // Pages of ten, forward by each page's next and back again.
        new Select(browser.findElement(By.id("directory-country"))).selectByVisibleText("All");
        long members = given().baseUri(system.reporting.baseUri()).when().get("/clusters").then().extract()
                .jsonPath().getLong("total");
        String firstPage = "1–10 of " + String.format(Locale.UK, "%,d", members);
        wait.until(ExpectedConditions.textToBe(By.id("directory-position"), firstPage));
        String firstMember = browser.findElement(By.cssSelector("#members li")).getText();
        browser.findElement(By.id("directory-next")).click();
        wait.until(ExpectedConditions.textToBe(By.id("directory-position"),
                "11–20 of " + String.format(Locale.UK, "%,d", members)));
        assertThat(browser.findElement(By.cssSelector("#members li")).getText()).isNotEqualTo(firstMember);
        browser.findElement(By.id("directory-previous")).click();
        wait.until(ExpectedConditions.textToBe(By.id("directory-position"), firstPage));
        assertThat(browser.findElement(By.cssSelector("#members li")).getText()).isEqualTo(firstMember);
        assertThat(browser.findElement(By.id("directory-previous")).isEnabled()).isFalse();
    }

    @Test
    void aClusterDatedLongBeforeTheRestSitsBehindABreakInTheAxisInsteadOfSqueezingTheChart() {
        system.join("""
                {"name": "Sines Industrial Zone", "country": "PT", "joinedOn": "1900-01-01", "sectors": ["REFINING"],
                 "emissionsReductionMtPerYear": 1.000, "jobs": 1, "gdpUsdBn": 1.000}""");
        browser.get(system.reporting.baseUri() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("chart-summary"), "1900-01-01"));
        assertThat(browser.findElements(By.cssSelector("#history path.break"))).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Number> points = (List<Number>) ((JavascriptExecutor) browser).executeScript(
                "return [...document.querySelectorAll('#history circle.point')].map(point => point.cx.baseVal.value)");
        long width = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.getElementById('history').clientWidth");
        List<Double> afterTheBreak = points.stream().skip(1).map(Number::doubleValue).toList();
        assertThat(afterTheBreak.get(afterTheBreak.size() - 1) - afterTheBreak.get(0))
                .as("the width the coalition's own dates take, of %d px", width).isGreaterThan(width * 0.6);
    }

    @Test
    void withTheStreamBlockedThePageLoadsOverRestAndFollowsTheTotalsByPolling() {
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of("*/coalition/stream*")));
        try {
            browser.get(system.reporting.baseUri() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            long clusters = system.coalition("").getLong("clusters");
            wait.until(ExpectedConditions.textToBe(By.id("clusters"), INTEGER.format(clusters)));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("connection"), "no live stream"));

            system.join("""
                    {"name": "Ravenna Port Cluster", "country": "IT", "joinedOn": "2025-08-01", "sectors": ["CCS"],
                     "emissionsReductionMtPerYear": 2.000, "jobs": 2, "gdpUsdBn": 2.000}""");

            wait.until(ExpectedConditions.textToBe(By.id("clusters"), INTEGER.format(clusters + 1)));
            wait.until(page -> isMember(page, "IT"));
            assertThat(browser.findElement(By.id("stale")).isDisplayed()).isFalse();
        } finally {
            browser.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.of()));
        }
    }

    /** axe-core (the npm package) in the page, light and dark: no violation it rates serious or critical. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "light", "dark" })
    void axeFindsNothingSeriousOnThePage(String scheme) throws Exception {
        browser.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
        try {
            browser.get(system.reporting.baseUri() + "/");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
            wait.until(page -> !page.findElements(By.cssSelector("#map path.member")).isEmpty());
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("members"), "joined"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("by-cohort"), "2025"));
            JavascriptExecutor page = browser;
            page.executeScript(Files.readString(Path.of(System.getProperty("axe.script"))));
            browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            Object violations = page.executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    axe.run(document, { resultTypes: ['violations'] }).then(result => done(result.violations
                        .filter(violation => violation.impact === 'serious' || violation.impact === 'critical')
                        .map(violation => violation.id + ' (' + violation.impact + '): ' + violation.help + ' at '
                            + violation.nodes.map(node => node.target.join(' ')).join(', '))));""");
            assertThat((List<?>) violations).as("axe-core's serious and critical findings, %s", scheme).isEmpty();
        } finally {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    private static boolean isMember(WebDriver page, String country) {
        return page.findElements(By.cssSelector("#map path.member[data-code='" + country + "']")).size() == 1;
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
        assertThat(browser.findElements(By.cssSelector("#by-region tr:first-child td")))
                .as("clusters, countries, emissions, jobs and GDP for a region").hasSize(5);
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
            await().atMost(Duration.ofSeconds(60)).until(() -> given().baseUri(system.metrics.managementUri())
                    .when().get("/q/health/well").statusCode() == 503);
            long toHealth = millisSince(stalled);
            await().atMost(Duration.ofSeconds(60)).until(() -> system.coalition("").getBoolean("freshness.stale"));
            long toTotals = millisSince(stalled);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stale")));
            long toDashboard = millisSince(stalled);
            // Another reason (the reconciliation's) may show first; the stall's follows with the next report.
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("stale-reasons"),
                    "metrics-service may be stalled"));
            assertThat(given().baseUri(system.metrics.managementUri()).when().get("/q/health/live").statusCode())
                    .isEqualTo(200);
            System.out.printf("A stall shows after: gauge %d ms, health check %d ms, GET /coalition %d ms, "
                    + "dashboard %d ms (thresholds 5 s)%n", toGauge, toHealth, toTotals, toDashboard);
            lock.rollback();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> system.coalition("").getLong("clusters") == clustersBefore + 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> !system.coalition("").getBoolean("freshness.stale"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("stale")));
        assertThat(given().baseUri(system.metrics.managementUri()).when().get("/q/health/well").statusCode())
                .isEqualTo(200);
        assertThat(gauge(system.metrics, "cluster_events_oldest_unapplied_age_seconds")).isZero();
    }

    private static double gauge(ServiceProcess service, String name) {
        return given().baseUri(service.managementUri()).when().get("/q/metrics").then().extract().asString().lines()
                .filter(line -> line.startsWith(name + " ")).mapToDouble(line -> Double.parseDouble(
                        line.substring(name.length() + 1).trim().split(" ")[0]))
                .findFirst().orElse(Double.NaN);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
