using System.Net.Http.Headers;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>The <c>rebuild-logs</c> command, run as an operator would: the server's own executable on its data folder.</summary>
public sealed class RebuildLogsTests : IDisposable
{
    private const string Token = "rebuild-test-token";
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");
    private readonly TempFolder _data = new("rebuild");

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task RebuildLogs_DamagedMissingAndStrayFiles_EveryFileRewrittenFromTheDatabase_RefusedWhileServing()
    {
        var fleet = Fleet.Create("rebuild", devices: 2, syncsPerDevice: 3, partsPerSync: 2, recordsPerPart: 20, seed: 3);
        using (var server = ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["rebuild"] = Token }, output: _ => { }))
        using (var client = new HttpClient { BaseAddress = server.BaseUrl })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await server.WaitReadyAsync(client);
            foreach (var part in fleet.Syncs.SelectMany(s => s.Parts))
            {
                (await client.PostPart(part)).EnsureSuccessStatusCode();
            }

            var (refused, message) = await ServerProcess.RunCommandAsync(ServerDll, _data, "rebuild-logs");
            if (TestStorage.IsPostgreSql)
            {
                // Each file is rewritten under the lock the servers take too: safe beside them.
                Assert.True(refused == 0, message);
            }
            else
            {
                Assert.Equal(2, refused);
                Assert.Contains("in use by another BatchSync process", message);
            }
        }

        var files = Directory.GetFiles(Path.Combine(_data, "logs"), "*.jsonl", SearchOption.AllDirectories);
        Assert.True(files.Length >= 4);
        File.WriteAllText(files[0], File.ReadAllText(files[0])[..40]);             // cut mid-line
        File.Delete(files[1]);                                                     // lost
        File.AppendAllText(files[2], File.ReadAllLines(files[2])[0] + "\n");       // a line twice
        var stray = Path.Combine(_data, "logs", "location", "1999-01-01", "nobody.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(stray)!);
        File.WriteAllText(stray, "{}\n");
        var interrupted = files[3] + ".tmp";                                       // a rewrite cut short
        File.WriteAllText(interrupted, "{\"n\":");

        var (code, output) = await ServerProcess.RunCommandAsync(ServerDll, _data, "rebuild-logs");

        Assert.True(code == 0, output);
        Assert.Contains($"Rebuilt {files.Length} dated log files", output);
        Assert.False(File.Exists(stray));
        Assert.False(File.Exists(interrupted));
        StoredLogs.AssertFilesMatchTables(_data);
        foreach (var device in fleet.Devices)
        {
            StoredLogs.AssertExactlyOnce(_data, device, fleet.RecordsOf(device));
        }
    }

    [Fact]
    public async Task RebuildLogs_NoDatabase_SaysSoAndFails()
    {
        var (code, output) = await ServerProcess.RunCommandAsync(ServerDll, _data, "rebuild-logs");

        if (TestStorage.IsPostgreSql)
        {
            // The database is the server's, empty: migrated, and nothing to rewrite.
            Assert.True(code == 0, output);
            Assert.Contains("Rebuilt 0 dated log files", output);
        }
        else
        {
            Assert.Equal(1, code);
            Assert.Contains("No database", output);
        }
    }
}
