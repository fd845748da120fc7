using System.Diagnostics;
using System.Globalization;
using BatchSync.Client;

// How cheap is recording on the phone's side: each add is one committed insert into the offline store.
// dotnet run -c Release --project bench/BatchSync.ClientBench [-- RECORDS]
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var folder = Directory.CreateTempSubdirectory("batchsync-clientbench-");
var path = Path.Combine(folder.FullName, "store.db");
try
{
    using var store = new OfflineStore(path);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        store.AddLocation(1694123456789 + (i * 1000L), 32 + (i * 1e-6), 34.7, accuracy: 5, speed: 10, bearing: 90, batteryLevel: 80, networkType: "4G", provider: "gps");
    }

    var elapsed = clock.Elapsed;
    var bytes = folder.EnumerateFiles().Sum(f => f.Length);
    Console.WriteLine($"records added:      {count,12:N0}");
    Console.WriteLine($"adds/s:             {count / elapsed.TotalSeconds,12:N0}");
    Console.WriteLine($"per add:            {elapsed.TotalMilliseconds * 1000 / count,12:F0} µs");
    Console.WriteLine($"store on disk:      {bytes / count,12:N0} bytes a record");
}
finally
{
    folder.Delete(recursive: true);
}
