using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;
using OpenQA.Selenium;

namespace BatchSync.IntegrationTests;

/// <summary>
/// The dashboard in a real browser (headless chromium) against the real server: sign-in, a sync made
/// here appearing with its progress and advancing by itself, a device's day with its track, the activity
/// view, a phone's width, and no console error anywhere.
/// </summary>
public sealed class DashboardTests : IDisposable
{
    private const string Day = "2023-09-07";
    private const long Morning = SyncData.Start - (12 * 3_600_000L); // 09:50 UTC
    private MonitoredServer? _server;

    public void Dispose() => _server?.Dispose();

    [Fact]
    public async Task Dashboard_SignInSeeSyncProgressAndADevicesTrack_NoConsoleErrors()
    {
        _server = await MonitoredServer.StartAsync();
        var device = _server.ClientWith(MonitoredServer.DeviceToken);
        var (track, events) = (Route(start: Morning, points: 90), 4);
        foreach (var part in SyncData.Parts(SyncData.NewId("dash"), "van-07", track, perPart: 25, user: "dana"))
        {
            await device.PostPart(part).Ok();
        }

        await device.PostPart(SyncData.Parts(SyncData.NewId("dash"), "truck-12", Route(Morning + (25 * 3_600_000L), 40, 32.10), 50, "omer")[0]).Ok();
        var openId = SyncData.NewId("dash_open");
        var open = SyncData.Parts(openId, "bike-3", Route(Morning + 7_200_000, 46, 32.05), perPart: 10, user: "noa");
        foreach (var part in open.Take(3))
        {
            await device.PostPart(part).Ok();
        }

        using var browser = new Browser();
        var driver = browser.Driver;
        driver.Navigate().GoToUrl(new Uri(_server.BaseUrl, "/dashboard"));

        // A wrong token says so (the browser logs the 401 itself: that one line is expected).
        browser.WaitFor("#token").SendKeys("not-the-admin-token");
        driver.FindElement(By.CssSelector("#sign-in-form button")).Click();
        Assert.Contains("unknown", browser.WaitFor("#sign-in-error").Text, StringComparison.OrdinalIgnoreCase);
        Assert.All(browser.ConsoleErrors(), e => Assert.Contains("401", e, StringComparison.Ordinal));
        Assert.Null(driver.ExecuteScript("return sessionStorage.getItem('batchsync.admin-token')"));

        driver.FindElement(By.Id("token")).Clear();
        driver.FindElement(By.Id("token")).SendKeys(MonitoredServer.AdminToken);
        driver.FindElement(By.CssSelector("#sign-in-form button")).Click();

        // The open sync, with its progress; a part sent now shows up without a reload.
        var row = $"tr[data-sync-id='{openId}']";
        Assert.Equal("3", browser.WaitFor($"{row} [role=progressbar]").GetAttribute("aria-valuenow"));
        Assert.Equal("5", driver.FindElement(By.CssSelector($"{row} [role=progressbar]")).GetAttribute("aria-valuemax"));
        Assert.Contains("open", driver.FindElement(By.CssSelector(row)).Text, StringComparison.Ordinal);
        await device.PostPart(open[3]).Ok();
        browser.WaitUntil(d => d.FindElement(By.CssSelector($"{row} [role=progressbar]")).GetAttribute("aria-valuenow") == "4", TimeSpan.FromSeconds(20));
        Assert.Equal(MonitoredServer.AdminToken, driver.ExecuteScript("return sessionStorage.getItem('batchsync.admin-token')"));
        Assert.Equal(0L, driver.ExecuteScript("return localStorage.length"));

        // Its parts and its audit.
        driver.FindElement(By.CssSelector(row)).Click();
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#parts-table tbody tr")).Count == 4);
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#sync-audit-table tbody tr")).Count == 4);
        browser.Screenshot("dashboard-syncs");

        // Devices, then one device's day: its track and driving events.
        driver.FindElement(By.CssSelector("a[data-view=devices]")).Click();
        var van = browser.WaitFor("tr[data-device-id='van-07']");
        Assert.Contains((track.Count - events).ToString(System.Globalization.CultureInfo.InvariantCulture), van.Text, StringComparison.Ordinal);
        browser.Screenshot("dashboard-devices");
        van.Click();
        var line = browser.WaitFor("#track polyline.track-line");
        Assert.Equal(track.Count - events, line.GetAttribute("points")!.Split(' ').Length);
        Assert.Equal(events, driver.FindElements(By.CssSelector("#track g.event")).Count);
        Assert.Equal(Day, driver.FindElement(By.Id("day-date")).GetAttribute("value"));
        Assert.Equal(6, driver.FindElements(By.CssSelector("#exports a")).Count);
        Assert.Contains("format=gpx", driver.FindElement(By.CssSelector("#exports a[data-format=gpx]")).GetAttribute("href"), StringComparison.Ordinal);
        browser.Screenshot("dashboard-day");

        // Daily counts and the audit's tail.
        driver.FindElement(By.CssSelector("a[data-view=activity]")).Click();
        browser.WaitFor("#daily-chart rect.bar-location");
        browser.WaitUntil(d => d.FindElements(By.CssSelector("#audit-table tbody tr")).Count >= 9);
        browser.Screenshot("dashboard-activity");

        // A phone's width: nothing wider than the screen but the tables' own scrolling.
        driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
        driver.Navigate().GoToUrl(new Uri(_server.BaseUrl, "/dashboard/#device/van-07"));
        browser.WaitFor("#track polyline.track-line");
        Assert.True((bool)driver.ExecuteScript("return document.documentElement.scrollWidth <= window.innerWidth")!, "the page is wider than a phone");
        browser.Screenshot("dashboard-phone-day");

        Assert.Empty(browser.ConsoleErrors());
    }

    [Fact]
    public async Task DeviceDay_WithATileServerConfigured_DrawsTheTrackOnItsTiles()
    {
        await using var tiles = await TileServer.StartAsync();
        _server = await MonitoredServer.StartAsync(new Dictionary<string, string>
        {
            ["BatchSync:Monitoring:TileUrl"] = $"{tiles.Url}/{{z}}/{{x}}/{{y}}.png",
            ["BatchSync:Monitoring:TileAttribution"] = "test tiles",
        });
        foreach (var part in SyncData.Parts(SyncData.NewId("tiles"), "van-07", Route(Morning, 60), perPart: 64))
        {
            await _server.ClientWith(MonitoredServer.DeviceToken).PostPart(part).Ok();
        }

        using var browser = new Browser();
        browser.Driver.Navigate().GoToUrl(new Uri(_server.BaseUrl, "/dashboard/#device/van-07"));
        browser.WaitFor("#token").SendKeys(MonitoredServer.AdminToken);
        browser.Driver.FindElement(By.CssSelector("#sign-in-form button")).Click();

        browser.WaitFor("#track polyline.track-line");
        browser.WaitUntil(_ => tiles.Requested.Count >= 4, TimeSpan.FromSeconds(15));
        var zooms = tiles.Requested.Select(t => int.Parse(t.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        Assert.Equal(zooms[0], Assert.Single(zooms));
        Assert.InRange(zooms[0], 10, 18);
        Assert.Contains("test tiles", browser.Driver.FindElement(By.CssSelector("#track svg")).Text, StringComparison.Ordinal);
        Assert.Empty(browser.ConsoleErrors());
    }

    /// <summary>A drive along a winding road: positions every 40 s, a driving event at start, two on the way, and at the end.</summary>
    private static List<JsonObject> Route(long start, int points, double latitude = 32.07)
    {
        var records = new List<JsonObject>();
        for (var i = 0; i < points; i++)
        {
            var t = i / (double)points;
            records.Add(SyncData.Location(start + (i * 40_000L), latitude + (0.018 * Math.Sin(t * 5)) + (0.01 * t), 34.76 + (0.06 * t)));
        }

        string[] names = ["driving_start", "hard_brake", "speeding", "driving_stop"];
        for (var k = 0; k < names.Length; k++)
        {
            var at = start + ((points - 1) * 40_000L * k / (names.Length - 1)) + 1;
            var driving = SyncData.Driving(at, names[k]);
            var t = (at - start) / 40_000.0 / points;
            driving["location"] = new JsonObject { ["latitude"] = latitude + (0.018 * Math.Sin(t * 5)) + (0.01 * t), ["longitude"] = 34.76 + (0.06 * t), ["accuracy"] = 10.0 };
            records.Add(driving);
        }

        return [.. records.OrderBy(r => (long)r["timestamp"]!)];
    }
}
