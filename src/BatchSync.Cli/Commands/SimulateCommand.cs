using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using BatchSync.Client;
using Spectre.Console;

namespace BatchSync.Cli.Commands;

/// <summary>
/// <c>batchsync simulate</c>: phones driving, offline for most of it, over a network that drops requests
/// and loses answers; then each device's records of this run are read back through the admin API to
/// check that every one arrived exactly once.
/// </summary>
internal sealed class SimulateCommand(IAnsiConsole console, ServerOptions server)
{
    private readonly Option<int> _devices = new("--devices") { Description = "Phones to simulate", DefaultValueFactory = _ => 3 };
    private readonly Option<double> _hours = new("--hours") { Description = "Hours of driving each records", DefaultValueFactory = _ => 2 };
    private readonly Option<int?> _seed = new("--seed")
    {
        Description = "Repeats the same drives (routes, stops, events, timing relative to the run's start) and the same odds of network faults; default: a new seed each run, printed",
    };

    private readonly Option<double> _drop = new("--drop") { Description = "Share of requests lost before the server", DefaultValueFactory = _ => 0.1 };
    private readonly Option<double> _lose = new("--lose") { Description = "Share of answers lost after the server acted", DefaultValueFactory = _ => 0.1 };

    public Command Create()
    {
        var command = new Command("simulate", "Simulate phones with offline gaps and a flaky network, then check every record arrived once (needs an admin token)")
        {
            _devices, _hours, _seed, _drop, _lose,
        };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(console, () => RunAsync(
            server.Resolve(parse),
            new Run(parse.GetValue(_devices), parse.GetValue(_hours), parse.GetValue(_seed) ?? Random.Shared.Next(1, 1_000_000), parse.GetValue(_drop), parse.GetValue(_lose)),
            cancellationToken)));
        return command;
    }

    private async Task<int> RunAsync(ServerAddress address, Run run, CancellationToken cancellationToken)
    {
        using var api = address.Api();

        // The flaky network is simulated; an unreachable server is not worth minutes of retries.
        await api.CheckLivenessAsync(cancellationToken);
        console.MarkupLineInterpolated($"Seed {run.Seed} (pass --seed {run.Seed} to drive the same routes again)");
        var folder = Directory.CreateTempSubdirectory("batchsync-simulate-");
        var now = DateTimeOffset.UtcNow;
        var rows = new List<string[]>();
        var allDelivered = true;
        try
        {
            var phones = Enumerable.Range(0, run.Devices).Select(async index =>
            {
                var (row, ok) = await DriveAsync(address, api, run, index, now, folder.FullName, cancellationToken);
                lock (rows)
                {
                    allDelivered &= ok;
                    rows.Add(row);
                }
            });
            await Task.WhenAll(phones);
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

    /// <summary>One phone's drive, synced in three catch-ups over the flaky network, then checked on the server: its table row, and whether every record arrived once.</summary>
    private static async Task<(string[] Row, bool Ok)> DriveAsync(
        ServerAddress address, BatchSyncApi api, Run run, int index, DateTimeOffset now, string folder, CancellationToken cancellationToken)
    {
        var random = new Random(run.Seed + index);
        var device = $"sim-{run.Seed}-{index}";
        var track = Simulation.Track(random, now - TimeSpan.FromHours(run.Hours) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(run.Hours));
        var network = new FlakyNetwork(new SocketsHttpHandler(), random, run.Drop, run.Lose);
        using var store = new OfflineStore(Path.Combine(folder, device + ".db"));
        var options = address.ClientOptions(device, "simulated-driver");
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
        var own = track.Select(Key).ToHashSet();
        var (onServer, repeated) = await CountOnServerAsync(
            api, device, own, own.Min(k => k.Timestamp), own.Max(k => k.Timestamp) + 1, cancellationToken);
        var distinct = own.Count;
        var ok = store.PendingCount == 0 && onServer == distinct && repeated == 0;
        var c = CultureInfo.InvariantCulture;
        string[] row = [device, track.Count.ToString(c), store.SyncedCount.ToString(c), onServer.ToString(c), repeated.ToString(c),
            (distinct - onServer).ToString(c), network.Dropped.ToString(c), network.Lost.ToString(c), ok ? "[green]yes[/]" : "[red]no[/]"];
        return (row, ok);
    }

    /// <summary>Reads this run's records of the device back through the admin API: how many arrived, and how many are there twice.</summary>
    private static async Task<(int Count, int Repeated)> CountOnServerAsync(
        BatchSyncApi api, string device, HashSet<(string Type, long Timestamp)> own, long from, long to, CancellationToken cancellationToken)
    {
        var seen = new HashSet<(string, long)>();
        var repeated = 0;
        foreach (var type in (string[])["location", "driving"])
        {
            var request = new DeviceRecordsRequest(device, type) { From = from, To = to, Limit = 5000 };
            try
            {
                await foreach (var item in api.ReadDeviceRecordsAsync(request, cancellationToken))
                {
                    var key = (type, item.Timestamp);
                    if (own.Contains(key) && !seen.Add(key))
                    {
                        repeated++;
                    }
                }
            }
            catch (BatchSyncException e) when (e.Status is 401 or 403)
            {
                throw new UsageException("simulate checks the server's records through the admin API: use an admin token");
            }
        }

        return (seen.Count, repeated);
    }

    /// <summary>What tells a simulated record apart on the server: its type and timestamp, which <see cref="Simulation"/> gives every record.</summary>
    private static (string Type, long Timestamp) Key(JsonObject record) =>
        (record["type"]?.GetValue<string>() ?? "", record["timestamp"]?.GetValue<long>() ?? 0);

    /// <summary>What the command line asked for.</summary>
    private sealed record Run(int Devices, double Hours, int Seed, double Drop, double Lose);
}
