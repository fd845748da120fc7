using System.Globalization;
using BatchSync.RawInsert;

// Raw insert ceiling: how fast this machine's SQLite takes location rows with their dedup key, in one
// transaction with one prepared statement, for each table shape. The server's insert path is measured
// against these numbers.
RawInsertOptions options;
try
{
    options = RawInsertOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var folder = Directory.CreateTempSubdirectory("batchsync-rawinsert-");
try
{
    var records = LocationRecords.Generate(options.Records, options.Devices, options.Ado);
    using (var probe = new BenchDatabase(Path.Combine(folder.FullName, "probe.db")))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SQLite {probe.Version()}, pragmas: {probe.Pragmas()}; {options.Records:N0} records from {options.Devices} devices " +
            $"in parts of {LocationRecords.PartSize}, data {records.AverageDataBytes:F0} bytes on average, {options.Rounds} round(s), one transaction per run"));
    }

    bool[] bindings = options.Ado ? [false, true] : [false];
    var runs = options.Shapes.SelectMany(shape => bindings.Select(ado => (Shape: shape, Ado: ado))).ToList();
    var results = runs.ToDictionary(r => r, _ => new List<Measurement>());
    for (var round = 1; round <= options.Rounds; round++)
    {
        var order = round % 2 == 1 ? runs : Enumerable.Reverse(runs);
        foreach (var run in order)
        {
            var measurement = Measure(folder.FullName, run.Shape, run.Ado, records, round);
            results[run].Add(measurement);
            Console.WriteLine((options.Rounds > 1 ? string.Create(CultureInfo.InvariantCulture, $"round {round}/{options.Rounds} ") : "") + Line(measurement));
        }
    }

    if (options.Rounds > 1)
    {
        foreach (var run in runs)
        {
            var median = Median(results[run]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median {Line(median)} over {options.Rounds} rounds"));
        }
    }

    return 0;
}
finally
{
    folder.Delete(recursive: true);
}

static Measurement Measure(string folder, TableShape shape, bool ado, LocationRecords records, int round)
{
    using var database = new BenchDatabase(Path.Combine(folder, $"{shape.Name}-{(ado ? "ado" : "raw")}-{round}.db"));
    foreach (var sql in shape.CreateSql)
    {
        database.Execute(sql);
    }

    GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    var (inserted, elapsed, commit) = ado
        ? Inserts.Ado(database.Connection, shape, records)
        : Inserts.Raw(database.Connection, shape, records);
    var stored = database.Count("location_logs");
    if (stored != inserted)
    {
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{shape.Name}: {inserted:N0} inserts reported but {stored:N0} rows stored."));
    }

    return new Measurement($"{(ado ? "ado" : "raw")} insert {shape.Name}", records.Rows.Length, inserted, elapsed, commit, database.CheckpointedBytes());
}

static Measurement Median(List<Measurement> runs)
{
    var sorted = runs.OrderBy(m => m.Elapsed).ToList();
    var middle = sorted.Count / 2;
    return sorted.Count % 2 == 1 ? sorted[middle] : sorted[middle - 1] with
    {
        Elapsed = (sorted[middle - 1].Elapsed + sorted[middle].Elapsed) / 2,
        Commit = (sorted[middle - 1].Commit + sorted[middle].Commit) / 2,
    };
}

static string Line(Measurement m) => string.Create(CultureInfo.InvariantCulture,
    $"{m.Label}: {m.Records:N0} records in {m.Elapsed.TotalSeconds:F2} s = {m.RecordsPerSecond:N0} records/s " +
    $"(commit {m.Commit.TotalSeconds:F2} s, file {m.FileBytes / 1048576.0:N0} MB{(m.Inserted == m.Records ? "" : $", {m.Records - m.Inserted:N0} skipped")})");
