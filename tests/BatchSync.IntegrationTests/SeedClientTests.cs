using System.Diagnostics;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>The seed document's JavaScript client, run as written under Node.js against the server on Kestrel.</summary>
[Trait(Needs.Trait, Needs.Node)]
public class SeedClientTests
{
    [Fact]
    public async Task SeedClient_SyncsItsBacklog_AndAWholeResendStoresNothingTwice()
    {
        using var app = new BatchSyncApp();
        app.UseKestrel(0);
        app.StartServer();
        var baseUrl = app.ClientWith(null).BaseAddress!.ToString().TrimEnd('/');
        var device = SyncData.NewId("seed-phone");

        var (exitCode, output, errors) = await RunNodeAsync(baseUrl, BatchSyncApp.DeviceToken, device, records: 250, syncs: 2);

        // Node.js may warn on stderr (older versions call fetch experimental); the report is stdout's last line.
        Assert.True(exitCode == 0, output + errors);
        var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Empty(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(250, report.GetProperty("synced").GetInt32());
        // Each sync: 3 parts of up to 100; the completing part's processing_results, then the record count.
        var results = report.GetProperty("completions").EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).ToList();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(
            225,
            r.GetProperty("location").EnumerateObject().Sum(d => d.Value.GetInt32())));

        Assert.Equal(225L, app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE device_id = @p", device));
        Assert.Equal(25L, app.Scalar<long>("SELECT COUNT(*) FROM driving_logs WHERE device_id = @p", device));
        // The seed's client builds sync ids from an undefined field: undefined_<ms>_<random>.
        Assert.Equal(2L, app.Scalar<long>("SELECT COUNT(*) FROM sync_sessions WHERE device_id = @p AND sync_id LIKE 'undefined\\_%' ESCAPE '\\' AND status = 'Completed'", device));
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunNodeAsync(string baseUrl, string token, string device, int records, int syncs)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "js", "run-seed-client.js");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[script, baseUrl, token, device, records.ToString(System.Globalization.CultureInfo.InvariantCulture), syncs.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(Needs.Explain(Needs.Node, "Node.js (node) is not on the PATH: this test runs the seed's JavaScript client", e.Message), e);
        }

        using var node = started ?? throw new InvalidOperationException("Node.js (node) could not be started.");
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await node.WaitForExitAsync(timeout.Token);
        return (node.ExitCode, await stdout, await stderr);
    }
}
