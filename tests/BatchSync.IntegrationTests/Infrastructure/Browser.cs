using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// Headless chromium through chromedriver, never downloaded: Debian's, or the test fails (CI installs
/// them).
/// </summary>
internal sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly TempFolder _profile = new("chromium");

    public Browser(int width = 1280, int height = 900)
    {
        Assert.True(File.Exists(ChromiumPath) && File.Exists(DriverPath),
            $"browser tests need {ChromiumPath} and {DriverPath} (apt-get install chromium chromium-driver; .ci/run does)");
        Directory.CreateDirectory(_profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={_profile.Path}",
            $"--window-size={width},{height}", "--lang=en-US");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    public IWebElement WaitFor(string css, TimeSpan? within = null) =>
        Wait(within).Until(d => d.FindElements(By.CssSelector(css)).FirstOrDefault(e => e.Displayed))!;

    public void WaitUntil(Func<IWebDriver, bool> condition, TimeSpan? within = null) => Wait(within).Until(condition);

    /// <summary>The page re-renders as it refreshes: an element replaced while looked at is looked for again.</summary>
    private WebDriverWait Wait(TimeSpan? within)
    {
        var wait = new WebDriverWait(Driver, within ?? TimeSpan.FromSeconds(15));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait;
    }

    /// <summary>Console messages at error level since the last call (reading empties the browser's buffer).</summary>
    public List<string> ConsoleErrors() =>
        Driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level >= LogLevel.Severe).Select(e => e.Message).ToList();

    /// <summary>A PNG of the window into <c>BATCHSYNC_SCREENSHOTS</c>, when that folder is set.</summary>
    public void Screenshot(string name)
    {
        if (Environment.GetEnvironmentVariable("BATCHSYNC_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            Driver.GetScreenshot().SaveAsFile(Path.Combine(folder, name + ".png"));
        }
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Dispose();
    }
}
