using System.Diagnostics;
using System.Globalization;
using BatchSync.Testing;

namespace BatchSync.Bench;

/// <summary>
/// One device's offline backlog as one very large sync, on one server with its limits raised to fit:
/// parts 1..P-1 with C in flight, then the last part alone, which writes every record into the log
/// tables. Prints the time end to end and of the completing request, and the server's peak memory;
/// then, on the same server, the last part's latency of a sync of the default limits' largest shape.
/// </summary>
internal static class BigSync
{
    private const string Token = "bench-device-token";
    private const int SeedParts = 50;
    private const int SeedRecords = 100;
    private const int SeedSyncs = 5;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(BigSyncOptions options)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "batchsync-bench", Guid.NewGuid().ToString("N"));
        if (options.Postgres is { } connectionString)
        {
            ServerProcess.StorageSettings = _ => new Dictionary<string, string>
            {
                ["BatchSync:Storage:Provider"] = "PostgreSQL",
                ["ConnectionStrings:BatchSync"] = connectionString,
            };
        }

        var limits = new Dictionary<string, string>
        {
            ["BatchSync:Limits:MaxBatchSize"] = Math.Max(options.Records, SeedRecords).ToString(Invariant),
            ["BatchSync:Limits:MaxBatchParts"] = Math.Max(options.Parts, SeedParts).ToString(Invariant),
            // A record of the bench's shape is under 300 bytes of JSON; 16 MB holds a part of 1000 with room to spare.
            ["BatchSync:Limits:MaxRequestBodyBytes"] = Math.Max(16L * 1024 * 1024, options.Records * 1024L).ToString(Invariant),
        };
        using var server = ServerProcess.Start(options.ServerDll, dataDirectory, new Dictionary<string, string> { ["bench"] = Token }, limits);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency + 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromHours(2) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        try
        {
            await server.WaitReadyAsync(http);
            var sender = new PartSender(http);
            var total = (long)options.Parts * options.Records;
            Print($"big sync: {options.Parts:N0} parts x {options.Records:N0} records = {total:N0} records, {(options.Postgres is null ? "SQLite" : "PostgreSQL")}");
            Print($"{options.Concurrency} part(s) in flight before the last, {options.Repeat} run(s), server pid {server.Pid}, data {dataDirectory}");

            // One device per bench run, so that a database kept from an earlier run holds none of its records.
            var run = Guid.NewGuid().ToString("N")[..8];
            var timestamp = 1_700_000_000_000L;
            var endToEnd = new List<double>();
            for (var repeat = 1; repeat <= options.Repeat; repeat++)
            {
                (var bodies, timestamp) = PartBodies.Build($"big-{run}-{repeat}", $"big-device-{run}", options.Parts, options.Records, timestamp);
                var (elapsed, completing, peakRssMb) = await BigOneAsync(sender, bodies, options.Concurrency, server);
                endToEnd.Add(elapsed.TotalSeconds);
                Print($"end to end: {elapsed.TotalSeconds:F1} s ({total / elapsed.TotalSeconds:N0} records/s); completing request: {completing.TotalSeconds:F1} s");
                Print($"server memory: peak VmRSS {peakRssMb:N0} MB, VmHWM {server.PeakMemoryMb():N0} MB");
            }

            if (options.Repeat > 1)
            {
                Print($"end to end, median of {options.Repeat}: {Median(endToEnd):F1} s ({total / Median(endToEnd):N0} records/s)");
            }

            var latencies = new List<double>();
            for (var sync = 1; sync <= SeedSyncs; sync++)
            {
                (var bodies, timestamp) = PartBodies.Build($"seed-{run}-{sync}", $"seed-device-{run}", SeedParts, SeedRecords, timestamp);
                latencies.Add((await SeedOneAsync(sender, bodies)).TotalMilliseconds);
            }

            Print($"{SeedParts} x {SeedRecords} sync, last part: {string.Join(", ", latencies.Select(l => l.ToString("F0", Invariant)))} ms (median {Median(latencies):F0} ms)");
            Print($"errors: {sender.Errors:N0}{(sender.FirstError is null ? "" : $" (first: {sender.FirstError})")}");
            return sender.Errors == 0 ? 0 : 1;
        }
        finally
        {
            server.Kill();
            if (!options.KeepData)
            {
                try
                {
                    Directory.Delete(dataDirectory, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>Parts 1..P-1 with <paramref name="concurrency"/> in flight, then the last alone, the server's memory sampled meanwhile.</summary>
    private static async Task<(TimeSpan EndToEnd, TimeSpan Completing, long PeakRssMb)> BigOneAsync(
        PartSender sender, byte[][] bodies, int concurrency, ServerProcess server)
    {
        var sampler = MemorySampler.Start(server.Pid);
        TimeSpan elapsed, completing;
        bool complete;
        await using (sampler)
        {
            var started = Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(
                bodies.Take(bodies.Length - 1),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (body, _) => await sender.SendAsync(body));
            (complete, completing) = await sender.SendAsync(bodies[^1]);
            elapsed = Stopwatch.GetElapsedTime(started);
        }

        if (!complete)
        {
            sender.Fail($"the last part of the big sync did not answer sync_complete: true ({(server.HasExited ? "the server exited" : "see the first error")})");
        }

        return (elapsed, completing, sampler.PeakRssMb);
    }

    /// <summary>A sync sent part after part with nothing else going on; the last part's latency.</summary>
    private static async Task<TimeSpan> SeedOneAsync(PartSender sender, byte[][] bodies)
    {
        foreach (var body in bodies.Take(bodies.Length - 1))
        {
            await sender.SendAsync(body);
        }

        var (complete, elapsed) = await sender.SendAsync(bodies[^1]);
        if (!complete)
        {
            sender.Fail($"the last part of a {SeedParts} x {SeedRecords} sync did not answer sync_complete: true");
        }

        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(Invariant));
}
