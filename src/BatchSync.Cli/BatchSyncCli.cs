using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchSync.Client;
using Spectre.Console;

namespace BatchSync.Cli;

/// <summary>
/// <c>batchsync send FILE</c>, <c>batchsync simulate</c>, <c>batchsync status SYNC_ID</c>: the SDK from a
/// shell. Every command takes <c>--url</c> and <c>--token</c> (or <c>BATCHSYNC_URL</c>, <c>BATCHSYNC_TOKEN</c>)
/// and exits 1 when anything was not delivered.
/// </summary>
internal static class BatchSyncCli
{
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var url = new Option<string?>("--url") { Description = "The server's base address (or BATCHSYNC_URL)", Recursive = true };
        var token = new Option<string?>("--token") { Description = "A device or admin token (or BATCHSYNC_TOKEN)", Recursive = true };
        var root = new RootCommand("BatchSync from the command line: send records, simulate phones, look at a sync.");
        root.Options.Add(url);
        root.Options.Add(token);

        var file = new Argument<FileInfo>("FILE") { Description = "Records as NDJSON (.ndjson, .jsonl), CSV (.csv) or GPX (.gpx)" };
        var device = new Option<string>("--device") { Description = "The device the records are from", Required = true };
        var user = new Option<string>("--user") { Description = "The user name sent with them", DefaultValueFactory = _ => "batchsync-cli" };
        var store = new Option<string?>("--store") { Description = "The offline store to keep them in until delivered (default: one per device in the temp folder)" };
        var skipUntimed = new Option<bool>("--skip-untimed") { Description = "GPX: leave out points without <time> (each is named) instead of refusing the file" };
        var send = new Command("send", "Upload records from a file, with a progress bar") { file, device, user, store, skipUntimed };
        send.SetAction((parse, token2) => Guard(console, () => SendAsync(
            console, Server(parse, url, token, environment), parse.GetValue(file)!, parse.GetValue(device)!, parse.GetValue(user)!, parse.GetValue(store), parse.GetValue(skipUntimed), token2)));

        var devices = new Option<int>("--devices") { Description = "Phones to simulate", DefaultValueFactory = _ => 3 };
        var hours = new Option<double>("--hours") { Description = "Hours of driving each records", DefaultValueFactory = _ => 2 };
        var seed = new Option<int?>("--seed")
        {
            Description = "Repeats the same drives (routes, stops, events, timing relative to the run's start) and the same odds of network faults; default: a new seed each run, printed",
        };
        var drop = new Option<double>("--drop") { Description = "Share of requests lost before the server", DefaultValueFactory = _ => 0.1 };
        var lose = new Option<double>("--lose") { Description = "Share of answers lost after the server acted", DefaultValueFactory = _ => 0.1 };
        var simulate = new Command("simulate", "Simulate phones with offline gaps and a flaky network, then check every record arrived once (needs an admin token)")
        {
            devices, hours, seed, drop, lose,
        };
        simulate.SetAction((parse, token2) => Guard(console, () => SimulateAsync(
            console, Server(parse, url, token, environment), parse.GetValue(devices), parse.GetValue(hours), parse.GetValue(seed) ?? Random.Shared.Next(1, 1_000_000), parse.GetValue(drop), parse.GetValue(lose), token2)));

        var syncId = new Argument<string>("SYNC_ID") { Description = "The sync to show" };
        var status = new Command("status", "Show a sync's parts") { syncId };
        status.SetAction((parse, token2) => Guard(console, () => StatusAsync(console, Server(parse, url, token, environment), parse.GetValue(syncId)!, token2)));

        root.Subcommands.Add(send);
        root.Subcommands.Add(simulate);
        root.Subcommands.Add(status);
        var writer = console.Profile.Out.Writer;
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer }, cancellationToken);
    }

    /// <summary>
    /// The console for output that is not a terminal (a pipe, a file): no colours, and as wide as the
    /// widest line, so tables are never cut at 80 columns.
    /// </summary>
    public static IAnsiConsole PlainConsole(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 4096;
        return console;
    }

    /// <summary>The server to talk to, from the options or the environment.</summary>
    internal sealed record ServerAddress(Uri Url, string Token);

    private static ServerAddress Server(ParseResult parse, Option<string?> url, Option<string?> token, Func<string, string?> environment)
    {
        var text = parse.GetValue(url) ?? environment("BATCHSYNC_URL")
            ?? throw new UsageException("No server: pass --url or set BATCHSYNC_URL");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"Not a server address: {text} (expected http://host:port/)");
        }

        var secret = parse.GetValue(token) ?? environment("BATCHSYNC_TOKEN")
            ?? throw new UsageException("No token: pass --token or set BATCHSYNC_TOKEN");
        return new ServerAddress(address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"), secret);
    }

    private static async Task<int> Guard(IAnsiConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (UsageException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 2;
        }
        catch (Exception e) when (e is BatchSyncException or HttpRequestException or FormatException or IOException)
        {
            console.MarkupLineInterpolated($"[red]Not delivered:[/] {e.Message}");
            return 1;
        }
    }

    private static async Task<int> SendAsync(
        IAnsiConsole console, ServerAddress server, FileInfo file, string device, string user, string? storePath, bool skipUntimed, CancellationToken cancellationToken)
    {
        var (records, skipped) = RecordFiles.Read(file.FullName, skipUntimed);
        foreach (var point in skipped)
        {
            console.MarkupLineInterpolated($"[yellow]Skipped[/] {point}: no <time>");
        }

        using var store = new OfflineStore(storePath ?? Path.Combine(Path.GetTempPath(), $"batchsync-send-{device}.db"));
        records.ForEach(store.Add);
        using var client = new BatchSyncClient(store, Options(server, device, user));
        SyncResult? result = null;
        await console.Progress().StartAsync(async context =>
        {
            var bar = context.AddTask($"Sending {records.Count} records of {device}", maxValue: Math.Max(1, store.PendingCount));
            result = await client.SyncAsync(new Progress<SyncProgress>(p => bar.Value = p.RecordsDone), cancellationToken);
            bar.Value = bar.MaxValue;
        });

        var unknown = result!.RecordsSynced - result.RecordsNew - result.RecordsAlreadyStored;
        console.MarkupLineInterpolated(
            $"[green]Delivered[/] {result.RecordsSynced} records in {result.CompletedSyncIds.Count} syncs: {result.RecordsNew} new, {result.RecordsAlreadyStored} already stored on the server{(unknown > 0 ? $", {unknown} not counted (the server's answer was lost)" : "")}. Syncs: {string.Join(", ", result.CompletedSyncIds)}");
        return store.PendingCount == 0 ? 0 : 1;
    }

    private static async Task<int> StatusAsync(IAnsiConsole console, ServerAddress server, string syncId, CancellationToken cancellationToken)
    {
        using var http = Http(server);
        using var response = await http.GetAsync(new Uri($"api/v1/sync-sessions/{Uri.EscapeDataString(syncId)}", UriKind.Relative), cancellationToken);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement;
        if (!response.IsSuccessStatusCode)
        {
            console.MarkupLineInterpolated($"[red]{(int)response.StatusCode}[/] {body.GetProperty("message").GetString()}");
            return 1;
        }

        var missing = body.GetProperty("missing_parts").GetArrayLength() == 0
            ? "none"
            : string.Join(", ", body.GetProperty("missing_parts").EnumerateArray().Select(p => p.GetInt32()));
        console.MarkupLineInterpolated(
            $"Sync [bold]{syncId}[/] of {body.GetProperty("device_id").GetString()}: [bold]{body.GetProperty("sync_status").GetString()}[/], {body.GetProperty("received_parts").GetArrayLength()} of {body.GetProperty("total_parts").GetInt32()} parts, missing: {missing}");
        var table = new Table().AddColumns("part", "records", "checksum", "received at");
        foreach (var part in body.GetProperty("parts").EnumerateArray())
        {
            table.AddRow(
                part.GetProperty("part_number").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                part.GetProperty("record_count").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(part.GetProperty("checksum").GetString() ?? ""),
                part.GetProperty("received_at").GetString() ?? "");
        }

        console.Write(table);
        return 0;
    }

    private static async Task<int> SimulateAsync(
        IAnsiConsole console, ServerAddress server, int devices, double hours, int seed, double drop, double lose, CancellationToken cancellationToken)
    {
        using (var probe = Http(server))
        {
            // The flaky network is simulated; an unreachable server is not worth minutes of retries.
            (await probe.GetAsync(new Uri("health/live", UriKind.Relative), cancellationToken)).EnsureSuccessStatusCode();
        }

        console.MarkupLineInterpolated($"Seed {seed} (pass --seed {seed} to drive the same routes again)");
        var folder = Directory.CreateTempSubdirectory("batchsync-simulate-");
        var now = DateTimeOffset.UtcNow;
        var rows = new List<string[]>();
        var allDelivered = true;
        try
        {
            var runs = Enumerable.Range(0, devices).Select(async index =>
            {
                var random = new Random(seed + index);
                var device = $"sim-{seed}-{index}";
                var track = Simulation.Track(random, now - TimeSpan.FromHours(hours) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(hours));
                var network = new FlakyNetwork(new SocketsHttpHandler(), random, drop, lose);
                using var store = new OfflineStore(Path.Combine(folder.FullName, device + ".db"));
                var options = Options(server, device, "simulated-driver");
                options.MaxRetries = 4;
                options.RetryDelay = TimeSpan.FromMilliseconds(200);
                using var client = new BatchSyncClient(store, options, network);

                // Offline for most of the drive: the backlog goes up in three catch-ups.
                var errors = 0;
                foreach (var chunk in track.Chunk((track.Count / 3) + 1))
                {
                    foreach (var record in chunk)
                    {
                        store.Add(record);
                    }

                    for (var attempt = 0; attempt < 5 && store.PendingCount > 0; attempt++)
                    {
                        try
                        {
                            await client.SyncAsync(cancellationToken: cancellationToken);
                        }
                        catch (BatchSyncException e) when (e.Retryable)
                        {
                            errors++;
                        }
                        catch (HttpRequestException)
                        {
                            errors++;
                        }
                    }
                }

                // Only this run's records count: the same device may hold an earlier run's.
                var own = track.Select(r => ((string)r["type"]!, (long)r["timestamp"]!)).ToHashSet();
                var (onServer, repeated) = await CountOnServerAsync(
                    server, device, own, own.Min(k => k.Item2), own.Max(k => k.Item2) + 1, cancellationToken);
                var distinct = own.Count;
                var ok = store.PendingCount == 0 && onServer == distinct && repeated == 0;
                lock (rows)
                {
                    allDelivered &= ok;
                    rows.Add([device, track.Count.ToString(), store.SyncedCount.ToString(), onServer.ToString(), repeated.ToString(),
                        (distinct - onServer).ToString(), network.Dropped.ToString(), network.Lost.ToString(), ok ? "[green]yes[/]" : "[red]no[/]"]);
                }
            });
            await Task.WhenAll(runs);
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        var table = new Table().AddColumns("device", "recorded", "synced", "on server", "twice", "missing", "requests dropped", "answers lost", "exactly once");
        foreach (var row in rows.OrderBy(r => r[0], StringComparer.Ordinal))
        {
            table.AddRow(row);
        }

        console.Write(table);
        return allDelivered ? 0 : 1;
    }

    /// <summary>Reads this run's records of the device back through the admin API: how many arrived, and how many are there twice.</summary>
    private static async Task<(int Count, int Repeated)> CountOnServerAsync(
        ServerAddress server, string device, HashSet<(string, long)> own, long from, long to, CancellationToken cancellationToken)
    {
        using var http = Http(server);
        var seen = new HashSet<(string, long)>();
        var repeated = 0;
        foreach (var type in (string[])["location", "driving"])
        {
            string? cursor = null;
            do
            {
                var path = $"api/v1/admin/devices/{Uri.EscapeDataString(device)}/records?type={type}&from={from}&to={to}&limit=5000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
                if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
                {
                    throw new UsageException("simulate checks the server's records through the admin API: use an admin token");
                }

                response.EnsureSuccessStatusCode();
                var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("data");
                foreach (var item in data.GetProperty("items").EnumerateArray())
                {
                    var key = (type, item.GetProperty("timestamp").GetInt64());
                    if (own.Contains(key) && !seen.Add(key))
                    {
                        repeated++;
                    }
                }

                cursor = data.GetProperty("next_cursor").ValueKind == JsonValueKind.String ? data.GetProperty("next_cursor").GetString() : null;
            }
            while (cursor is not null);
        }

        return (seen.Count, repeated);
    }

    private static BatchSyncClientOptions Options(ServerAddress server, string device, string user) => new()
    {
        ServerUrl = server.Url,
        Token = server.Token,
        DeviceId = device,
        UserName = user,
    };

    private static HttpClient Http(ServerAddress server)
    {
        var http = new HttpClient { BaseAddress = server.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
        return http;
    }

    private sealed class UsageException(string message) : Exception(message);
}
