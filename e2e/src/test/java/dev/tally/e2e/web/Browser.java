package dev.tally.e2e.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian chromium through its chromedriver. Where either is missing, the first browser test
 * installs Debian's chromium and chromium-driver with apt-get (as root, or through sudo), so that
 * {@code ./mvnw -B verify} needs nothing set up beforehand; if that fails too, the test fails naming the
 * binary: browser tests never skip.
 * The network here is closed, so chromium starts with everything that would call out turned off.
 */
public final class Browser implements AutoCloseable {
    private final WebDriver driver;
    private final Path profile;

    public Browser() {
        installOnce();
        Path chromium = binary("tally.chromium", "chromium", "chromium");
        Path chromedriver = binary("tally.chromedriver", "chromedriver", "chromium-driver");
        try {
            profile = Files.createTempDirectory("tally-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    private static boolean installTried;

    /** apt-get install of chromium and chromium-driver, once per JVM, when either binary is missing and none is configured. */
    private static synchronized void installOnce() {
        if (installTried || System.getProperty("tally.chromium") != null || (found("chromium") && found("chromedriver"))) {
            return;
        }
        installTried = true;
        String sudo = "root".equals(System.getProperty("user.name")) ? "" : "sudo ";
        String script = sudo + "apt-get update -qq && DEBIAN_FRONTEND=noninteractive " + sudo
                + "apt-get install -y -qq chromium chromium-driver";
        System.out.println("Installing chromium and chromium-driver for the browser tests: " + script);
        try {
            Process p = new ProcessBuilder("sh", "-c", script + " >/dev/null").inheritIO().start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            System.out.println("could not run apt-get: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean found(String name) {
        return candidates(null, name).stream().anyMatch(Files::isExecutable);
    }

    private static List<Path> candidates(String configured, String name) {
        return configured != null ? List.of(Path.of(configured))
                : java.util.stream.Stream.concat(java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":")),
                        java.util.stream.Stream.of("/usr/bin")).map(d -> Path.of(d, name)).toList();
    }

    /** The binary from the system property, else the first on the PATH or in /usr/bin; else a failure naming the package. */
    private static Path binary(String property, String name, String debianPackage) {
        String configured = System.getProperty(property);
        return candidates(configured, name).stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new IllegalStateException(
                name + " is missing (looked in " + (configured != null ? configured : "the PATH and /usr/bin") + "): the browser tests "
                        + "need Debian's " + debianPackage + ": apt-get install -y chromium chromium-driver (the first browser test tried it), "
                        + "or -D" + property + "=/path/to/" + name));
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Clicks what submits a form and waits until the next page has replaced this one. */
    public void submit(String css) {
        WebElement old = find("html");
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> replaced(old));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "complete".equals(
                ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * Whether {@code old} belongs to a page that was replaced: a stale reference, or Chromium's own answer for a node
     * of a document that is gone ("does not belong to the document", which it sends as an unknown error while the
     * next page loads). Anything else is a real failure.
     */
    private static boolean replaced(WebElement old) {
        try {
            old.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    public String text(String css) {
        return find(css).getText();
    }

    public String page() {
        return find("main").getText();
    }

    /** Reloads until {@code check} holds (what the services apply from Kafka shows a moment later). */
    public void eventually(Supplier<Boolean> check, String what) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!check.get()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not shown within 60 s: " + what + "\n" + page());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            driver.navigate().refresh();
        }
    }

    /** A PNG of the whole page, into {@code file}. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.getParent());
            long height = (Long) ((org.openqa.selenium.JavascriptExecutor) driver)
                    .executeScript("return document.documentElement.scrollHeight");
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, (int) Math.min(height + 160, 4000)));
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp profile is harmless
        }
    }
}
