using System.Globalization;

namespace BatchSync.Bench;

/// <summary>
/// Options of the big-sync mode: <c>--parts P --records R</c> (one sync of P parts of R records),
/// <c>--concurrency C</c> (parts in flight at once before the last), <c>--repeat N</c> (syncs, one after another).
/// </summary>
internal sealed record BigSyncOptions(
    string ServerDll,
    int Parts,
    int Records,
    int Concurrency,
    int Repeat,
    bool KeepData,
    string? Postgres)
{
    public static BigSyncOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        int Positive(string name, int fallback)
        {
            var value = int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            return value > 0 ? value : throw new ArgumentException($"{name} must be at least 1.");
        }

        var server = Value("--server", "");
        if (server.Length == 0 || !File.Exists(server))
        {
            throw new ArgumentException("--server must name the published BatchSync.Api.dll (bench/big-sync.sh does this).");
        }

        var postgres = Value("--postgres", "");
        return new BigSyncOptions(
            server,
            Positive("--parts", 1000),
            Positive("--records", 1000),
            Positive("--concurrency", 4),
            Positive("--repeat", 1),
            args.Contains("--keep-data"),
            postgres.Length == 0 ? null : postgres);
    }
}
