using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BatchSync.Bench;
using BatchSync.Testing;

// Load test: starts the server (or several instances on one PostgreSQL database) on 127.0.0.1 with a
// fresh data folder, has N clients upload complete syncs for a while, and prints throughput, part
// latency, errors and the servers' peak memory. With --big-sync: one device's very large sync instead (BigSync).
if (args.Contains("--big-sync"))
{
    return await BigSync.RunAsync(BigSyncOptions.Parse(args));
}

var options = BenchOptions.Parse(args);
var dataDirectory = Path.Combine(Path.GetTempPath(), "batchsync-bench", Guid.NewGuid().ToString("N"));
const string token = "bench-device-token";

if (options.Postgres is { } connectionString)
{
    ServerProcess.StorageSettings = _ => new Dictionary<string, string>
    {
        ["BatchSync:Storage:Provider"] = "PostgreSQL",
        ["ConnectionStrings:BatchSync"] = connectionString,
    };
}

var servers = Enumerable.Range(0, options.Instances)
    .Select(_ => ServerProcess.Start(options.ServerDll, dataDirectory, new Dictionary<string, string> { ["bench"] = token }))
    .ToList();
var handlers = new List<SocketsHttpHandler>();
var instances = new List<HttpClient>();
try
{
    foreach (var server in servers)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients * 2, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        var http = new HttpClient(handler) { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        handlers.Add(handler);
        instances.Add(http);
        await server.WaitReadyAsync(http);
    }

    Console.WriteLine($"{(options.Postgres is null ? "SQLite" : "PostgreSQL")}, {servers.Count} instance(s), server pid(s) {string.Join(", ", servers.Select(s => s.Pid))}, data {dataDirectory}");
    Console.WriteLine($"{options.Clients} clients, syncs of {options.Parts} parts x {options.Records} records, warm-up {options.WarmupSeconds} s, run {options.Seconds} s");
    if (options.WarmupSeconds > 0)
    {
        await LoadRun.RunAsync(instances, options, TimeSpan.FromSeconds(options.WarmupSeconds), "warmup");
    }

    var cpuBefore = servers.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime());
    var benchBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var machineBefore = MachineCpu.Busy();
    var result = await LoadRun.RunAsync(instances, options, TimeSpan.FromSeconds(options.Seconds), "run");
    var machineAfter = MachineCpu.Busy();
    var benchAfter = Process.GetCurrentProcess().TotalProcessorTime;
    var cpuAfter = servers.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.CpuTime());

    var latencies = result.Latencies;
    latencies.Sort();
    Console.WriteLine();
    Console.WriteLine($"records/s (stored in completed syncs): {result.CompletedRecords / result.Elapsed.TotalSeconds,12:N0}");
    Console.WriteLine($"records/s (in accepted parts):         {result.AcceptedParts * options.Records / result.Elapsed.TotalSeconds,12:N0}");
    Console.WriteLine($"parts/s:                               {result.AcceptedParts / result.Elapsed.TotalSeconds,12:N0}");
    Console.WriteLine($"syncs completed:                       {result.CompletedSyncs,12:N0}");
    Console.WriteLine($"part latency p50 / p99 / max (ms):     {Percentile(latencies, 0.50),8:F1} / {Percentile(latencies, 0.99):F1} / {latencies[^1]:F1}");
    Console.WriteLine($"errors:                                {result.Errors,12:N0}{(result.FirstError is null ? "" : $"  (first: {result.FirstError})")}");
    Console.WriteLine($"server peak memory (VmHWM):            {servers.Max(s => s.PeakMemoryMb()),12:N0} MB{(servers.Count > 1 ? " (largest instance)" : "")}");
    var seconds = result.Elapsed.TotalSeconds;
    var serverCpu = (cpuAfter - cpuBefore).TotalSeconds;
    var benchCpu = (benchAfter - benchBefore).TotalSeconds;
    var machineCpu = (machineAfter - machineBefore).TotalSeconds;
    Console.WriteLine($"server CPU during run:                 {serverCpu / seconds,12:P0} of one core{(servers.Count > 1 ? " (all instances)" : "")}");
    Console.WriteLine($"load generator CPU during run:         {benchCpu / seconds,12:P0} of one core");
    Console.WriteLine($"everything else (the database, ...):   {Math.Max(0, machineCpu - serverCpu - benchCpu) / seconds,12:P0} of one core, of {Environment.ProcessorCount} cores");
    if (result.CompletedRecords > 0)
    {
        Console.WriteLine($"CPU per stored record, server / rest:  {serverCpu * 1e6 / result.CompletedRecords,8:F1} / {Math.Max(0, machineCpu - serverCpu - benchCpu) * 1e6 / result.CompletedRecords:F1} µs");
    }
    return result.Errors == 0 ? 0 : 1;
}
finally
{
    instances.ForEach(h => h.Dispose());
    handlers.ForEach(h => h.Dispose());
    servers.ForEach(s => s.Kill());
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

static double Percentile(List<double> sorted, double p) =>
    sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

namespace BatchSync.Bench
{
    /// <summary>CPU time the whole machine spent busy, from /proc/stat (zero where there is none).</summary>
    internal static class MachineCpu
    {
        public static TimeSpan Busy()
        {
            if (!File.Exists("/proc/stat"))
            {
                return TimeSpan.Zero;
            }

            // cpu  user nice system idle iowait irq softirq steal ... in clock ticks (USER_HZ, 100 on Linux).
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var busy = ticks.Sum() - ticks[3] - ticks[4];
            return TimeSpan.FromSeconds(busy / 100.0);
        }
    }

    internal sealed record BenchOptions(
        string ServerDll,
        int Clients,
        int Parts,
        int Records,
        int Seconds,
        int WarmupSeconds,
        bool KeepData,
        int Instances,
        string? Postgres)
    {
        public static BenchOptions Parse(string[] args)
        {
            string Value(string name, string fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
            }

            int Int(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

            var server = Value("--server", "");
            if (server.Length == 0 || !File.Exists(server))
            {
                throw new ArgumentException("--server must name the published BatchSync.Api.dll (bench/run.sh does this).");
            }

            var postgres = Value("--postgres", "");
            var instances = Int("--instances", 1);
            if (instances > 1 && postgres.Length == 0)
            {
                throw new ArgumentException("--instances above 1 needs PostgreSQL (--postgres CONNECTION_STRING; bench/run.sh --provider postgres starts one).");
            }

            return new BenchOptions(
                server,
                Int("--clients", 16),
                Int("--parts", 10),
                Int("--records", 100),
                Int("--seconds", 20),
                Int("--warmup", 10),
                args.Contains("--keep-data"),
                instances,
                postgres.Length == 0 ? null : postgres);
        }
    }
}
