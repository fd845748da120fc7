using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>Database tokens, managed with the server's own <c>tokens</c> command while the server runs.</summary>
public sealed class TokenTests : IDisposable
{
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");
    private readonly TempFolder _data = new("tokens");

    public void Dispose()
    {
        _data.Dispose();
    }

    private Task<(int ExitCode, string Output)> Tokens(params string[] args) =>
        ServerProcess.RunCommandAsync(ServerDll, _data, ["tokens", .. args]);

    private static string ValueIn(string output) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("bst_", StringComparison.Ordinal));

    [Fact]
    public async Task CreatedTokenWorksInItsScope_RevokedStopsAtOnce_NeverStoredOrLogged()
    {
        var lines = new ConcurrentQueue<string>();
        using var server = ServerProcess.Start(
            ServerDll, _data, new Dictionary<string, string> { ["configured"] = "configured-token" },
            new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Information" }, lines.Enqueue);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        await server.WaitReadyAsync(http);

        var (created, output) = await Tokens("create", "--name", "phone-7-app", "--role", "device", "--devices", "phone-7");
        Assert.True(created == 0, output);
        var token = ValueIn(output);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var ownSync = SyncData.NewId("phone-7");
        var own = await http.PostPart(SyncData.Part(ownSync, "phone-7", 1, 1, SyncData.Records(3)));
        var other = await http.PostPart(SyncData.Part(SyncData.NewId("phone-8"), "phone-8", 1, 1, SyncData.Records(3)));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/v1/sync-sessions/{ownSync}")).StatusCode);

        var (_, listed) = await Tokens("list");
        Assert.True(Regex.IsMatch(listed, @"phone-7-app\s+device\s+database\s+phone-7\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+\d{4}-"), listed);

        var (revoked, revokeOutput) = await Tokens("revoke", "phone-7-app");
        Assert.True(revoked == 0, revokeOutput);
        var after = await http.PostPart(SyncData.Part(SyncData.NewId("phone-7"), "phone-7", 1, 1, SyncData.Records(3, SyncData.Start + 60_000)));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.DoesNotContain(token, await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        server.Kill();
        Assert.DoesNotContain(lines, l => l.Contains(token, StringComparison.Ordinal));
        if (TestStorage.IsPostgreSql)
        {
            using var db = TestStorage.Open(_data);
            foreach (var table in new[] { "api_tokens", "audit_events" })
            {
                using var rows = TestStorage.Command(db, $"SELECT row_to_json(t)::text FROM {table} t");
                using var reader = rows.ExecuteReader();
                while (reader.Read())
                {
                    Assert.DoesNotContain(token, reader.GetString(0), StringComparison.Ordinal);
                }
            }
        }
        else
        {
            var database = await File.ReadAllBytesAsync(Path.Combine(_data, "batchsync.db"));
            var wal = File.Exists(Path.Combine(_data, "batchsync.db-wal")) ? await File.ReadAllBytesAsync(Path.Combine(_data, "batchsync.db-wal")) : [];
            var needle = Encoding.UTF8.GetBytes(token);
            Assert.True(database.AsSpan().IndexOf(needle) < 0 && wal.AsSpan().IndexOf(needle) < 0, "the token's value is in the database");
        }
    }

    [Fact]
    public async Task Commands_RefuseBadInputTakenNamesAndUnknownTokens()
    {
        Assert.Equal(0, (await Tokens("create", "--name", "ops", "--role", "admin", "--devices", "*")).ExitCode);

        var (taken, takenOutput) = await Tokens("create", "--name", "ops", "--role", "device", "--devices", "*");
        var (bad, badOutput) = await Tokens("create", "--name", "a b", "--role", "root", "--devices", "../etc");
        var (unknown, unknownOutput) = await Tokens("revoke", "nobody");
        var (usage, usageOutput) = await Tokens("frobnicate");

        Assert.Equal(1, taken);
        Assert.Contains("is taken", takenOutput);
        Assert.Equal(1, bad);
        Assert.Contains("role must be device or admin", badOutput);
        Assert.Contains("devices must be device ids", badOutput);
        Assert.Equal(1, unknown);
        Assert.Contains("No token named nobody", unknownOutput);
        Assert.Equal(1, usage);
        Assert.Contains("usage: tokens create", usageOutput);
    }

    [Fact]
    public async Task AdminWithoutDevices_GetsEveryDevice_RevokedNameIsFreeAgain_TimesInUtc()
    {
        using var server = ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["configured"] = "configured-token" }, output: _ => { });
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        await server.WaitReadyAsync(http);

        var (created, output) = await Tokens("create", "--name", "ops", "--role", "admin");
        Assert.True(created == 0, output);
        Assert.Contains("(admin, devices: *)", output);
        var first = ValueIn(output);
        Assert.Equal(0, (await Tokens("revoke", "ops")).ExitCode);
        var (again, againOutput) = await Tokens("create", "--name", "ops", "--role", "admin");
        var (_, listed) = await Tokens("list");
        var (device, deviceOutput) = await Tokens("create", "--name", "phone", "--role", "device");

        Assert.True(again == 0, againOutput);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ValueIn(againOutput));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/admin/devices")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/admin/devices")).StatusCode);
        Assert.Matches(@"ops\s+admin\s+database\s+\*\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+-\s+-", listed);
        Assert.Contains("CREATED (UTC)", listed);
        Assert.Equal(1, device);
        Assert.Contains("devices must name at least one device id", deviceOutput);
    }
}
