using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>The server's executable as a new user meets it: help, a folder in use, configuration, the root page.</summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");
    private static readonly string ApiProject = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "BatchSync.Api"));
    private readonly TempFolder _data = new("command-line");

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task Help_ListsEveryCommand_StartsNoServer(string flag)
    {
        var (code, output) = await ServerProcess.RunCommandAsync(ServerDll, _data, flag);

        Assert.True(code == 0, output);
        foreach (var command in (string[])["serve", "tokens create", "tokens list", "tokens revoke", "rebuild-logs"])
        {
            Assert.Contains(command, output);
        }

        Assert.False(File.Exists(Path.Combine(_data, "batchsync.db")));
    }

    [Fact]
    public async Task UnknownCommand_Exit2WithTheHelp()
    {
        var (code, output) = await ServerProcess.RunCommandAsync(ServerDll, _data, "rebuild-log");

        Assert.Equal(2, code);
        Assert.Contains("Unknown command: rebuild-log", output);
        Assert.Contains("rebuild-logs", output);
    }

#if !POSTGRESQL
    // On SQLite only: PostgreSQL's instances share their data folder by design (MultiInstanceTests).
    [Fact]
    public async Task SecondServerOnAFolderInUse_OneLineAndExit2()
    {
        var lines = new List<string>();
        using var first = ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["first"] = "first-token" }, output: _ => { });
        using (var probe = new HttpClient())
        {
            await first.WaitReadyAsync(probe);
        }

        using var second = ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["second"] = "second-token" }, output: line =>
        {
            lock (lines)
            {
                lines.Add(line);
            }
        });

        Assert.True(await second.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the second server kept running");
        await Task.Delay(200);
        Assert.Equal(2, second.ExitCode);
        lock (lines)
        {
            Assert.Equal([$"The data folder {Path.GetFullPath(_data)} is in use by another BatchSync process; stop it first."], lines);
        }

        Assert.False(first.HasExited);
    }
#endif

    [Fact]
    public void LaunchProfile_SetsNoBatchSyncKey_SoEnvironmentVariablesWinUnderDotnetRun()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(ApiProject, "Properties", "launchSettings.json")));
        using var development = JsonDocument.Parse(File.ReadAllText(Path.Combine(ApiProject, "appsettings.Development.json")));

        foreach (var profile in settings.RootElement.GetProperty("profiles").EnumerateObject())
        {
            var variables = profile.Value.TryGetProperty("environmentVariables", out var v) ? v.EnumerateObject().Select(p => p.Name).ToList() : [];
            Assert.DoesNotContain(variables, name => name.StartsWith("BatchSync", StringComparison.OrdinalIgnoreCase));
        }

        // The development default moved where the environment overrides it.
        Assert.Equal("../../data", development.RootElement.GetProperty("BatchSync").GetProperty("DataDirectory").GetString());
    }

    [Fact]
    public async Task DataDirectoryFromTheEnvironment_WinsOverTheDevelopmentDefault()
    {
        var (code, output) = await ServerProcess.RunCommandAsync(
            ServerDll, _data, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" }, "rebuild-logs");

        if (TestStorage.IsPostgreSql)
        {
            Assert.True(code == 0, output);
            Assert.Contains($"in {Path.Combine(Path.GetFullPath(_data), "logs")}", output);
        }
        else
        {
            Assert.Equal(1, code);
            Assert.Contains($"No database in {Path.GetFullPath(_data)}", output);
        }
    }

    [Fact]
    public async Task RunningServer_WatchesNoFiles()
    {
        // A configuration file watcher would watch the whole content root, the data folder too where it
        // lies below, and wake on every write to the database: the server reads its configuration once.
        using var server = ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["device"] = "device-token" }, output: _ => { });
        using var http = new HttpClient();
        await server.WaitReadyAsync(http);

        var handles = Directory.GetFiles($"/proc/{server.Pid}/fd").Select(fd => new FileInfo(fd).LinkTarget).ToList();

        Assert.NotEmpty(handles);
        Assert.DoesNotContain(handles, target => target is not null && target.Contains("inotify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Root_RedirectsToSwaggerUi()
    {
        using var app = new BatchSyncApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/swagger", response.Headers.Location?.ToString());
    }

#if !POSTGRESQL
    // The full-disk tests are SQLite's: the PostgreSQL build leaves them out.
    [Fact]
    public void TestsNeedingRootOrNode_AreNamedWithTheFilterThatLeavesThemOut()
    {
        var message = Needs.Explain(Needs.Root, "Could not mount", "permission denied");

        Assert.Contains("StorageFaultTests.DiskFillsDuringWrites_OnlyRetryableRefusals_RetriesAfterwardsStoreEverythingOnce", message);
        Assert.Equal(3, Needs.TestsNeeding(Needs.Root).Count);
        Assert.Contains("--filter \"Needs!=root\"", message);
        Assert.Equal(["SeedClientTests.SeedClient_SyncsItsBacklog_AndAWholeResendStoresNothingTwice"], Needs.TestsNeeding(Needs.Node));
    }
#endif
}
