using System.Text.Json.Nodes;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// What a data folder holds, read straight from its SQLite file and its dated log files, and the
/// checks every fault test ends with: each record sent is stored exactly once, and the files say
/// what the tables say, line for line, in order.
/// </summary>
internal static class StoredLogs
{
    private static readonly string[] Types = ["location", "driving"];

    public static System.Data.Common.DbConnection Open(string dataDirectory) => TestStorage.Open(dataDirectory);

    /// <summary>The device's records in both tables, as (type, timestamp), in table order.</summary>
    public static List<(string Type, long Timestamp)> RecordsOf(string dataDirectory, string deviceId)
    {
        using var db = Open(dataDirectory);
        var rows = new List<(string, long)>();
        foreach (var type in Types)
        {
            using var select = TestStorage.Command(db, $"SELECT timestamp FROM {type}_logs WHERE device_id = @d ORDER BY timestamp, id", ("@d", deviceId));
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((type, reader.GetInt64(0)));
            }
        }

        return rows;
    }

    /// <summary>
    /// The device's tables hold each distinct record sent once, and nothing else: compared by type,
    /// timestamp and content (every field, unknown ones included, numbers by value), so a record stored
    /// with a field lost or changed counts as missing.
    /// </summary>
    public static void AssertExactlyOnce(string dataDirectory, string deviceId, IEnumerable<JsonObject> sent)
    {
        var expected = sent
            .Select(r => ((string)r["type"]!, (long)r["timestamp"]!, Canonical(r)))
            .Distinct()
            .Order()
            .ToList();
        var stored = ContentOf(dataDirectory, deviceId);
        Assert.True(
            expected.SequenceEqual(stored.Order()),
            $"device {deviceId}: {expected.Count} distinct records sent, {stored.Count} stored " +
            $"({stored.Count - stored.Distinct().Count()} repeated, {expected.Except(stored).Count()} missing or changed; " +
            $"first sent and not stored: {expected.Except(stored).FirstOrDefault()}, first stored and not sent: {stored.Except(expected).FirstOrDefault()})");
    }

    /// <summary>The device's records in both tables, as (type, timestamp, canonical content).</summary>
    private static List<(string Type, long Timestamp, string Content)> ContentOf(string dataDirectory, string deviceId)
    {
        using var db = Open(dataDirectory);
        var rows = new List<(string, long, string)>();
        foreach (var type in Types)
        {
            using var select = TestStorage.Command(db, $"SELECT timestamp, data FROM {type}_logs WHERE device_id = @d", ("@d", deviceId));
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                rows.Add((type, reader.GetInt64(0), Canonical(JsonNode.Parse(reader.GetString(1)))));
            }
        }

        return rows;
    }

    /// <summary>A JSON value written one way: properties by name, numbers by their value.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number =>
            double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    /// <summary>
    /// Every (type, date, device) in the tables has its file, whose lines are the rows' JSON in timestamp
    /// order; no other log file exists, and no file has a partial line.
    /// </summary>
    public static void AssertFilesMatchTables(string dataDirectory)
    {
        using var db = Open(dataDirectory);
        var expectedFiles = new HashSet<string>();
        foreach (var type in Types)
        {
            var files = new Dictionary<string, List<string>>();
            using var select = db.CreateCommand();
            select.CommandText = $"SELECT CAST(log_date AS TEXT), device_id, data FROM {type}_logs ORDER BY device_id, timestamp, id";
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var path = Path.Combine(dataDirectory, "logs", type, reader.GetString(0), reader.GetString(1) + ".jsonl");
                    if (!files.TryGetValue(path, out var lines))
                    {
                        files[path] = lines = [];
                    }

                    lines.Add(reader.GetString(2));
                }
            }

            foreach (var (path, lines) in files)
            {
                expectedFiles.Add(path);
                Assert.True(File.Exists(path), $"{path} is missing");
                var text = File.ReadAllText(path);
                Assert.True(text.EndsWith('\n'), $"{path} ends in a partial line");
                Assert.Equal(lines, text[..^1].Split('\n'));
            }
        }

        var logs = Path.Combine(dataDirectory, "logs");
        var actualFiles = Directory.Exists(logs)
            ? Directory.EnumerateFiles(logs, "*.jsonl", SearchOption.AllDirectories).ToHashSet()
            : [];
        Assert.Empty(actualFiles.Except(expectedFiles));
    }

    public static long OwedFiles(string dataDirectory)
    {
        using var db = Open(dataDirectory);
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM log_file_outbox";
        return (long)count.ExecuteScalar()!;
    }
}
