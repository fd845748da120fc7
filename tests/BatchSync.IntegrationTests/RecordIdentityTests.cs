using System.IO.Hashing;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BatchSync.IntegrationTests;

/// <summary>A record is the same whatever spelling its numbers came in: 32.5 and 32.50, 15 and 15.0 and 1.5e1.</summary>
public sealed class RecordIdentityTests
{
    private static JsonObject Fix(long timestamp, string latitude, string accuracy) =>
        JsonNode.Parse($$"""{"type":"location","timestamp":{{timestamp}},"latitude":{{latitude}},"longitude":34.7818,"accuracy":{{accuracy}},"trip":9007199254740993}""")!.AsObject();

    [Fact]
    public async Task SameFixNumbersSpelledDifferently_StoredOnce_SamePartRespelledIsADuplicate()
    {
        using var app = new BatchSyncApp();
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("spelling");

        var first = await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [Fix(SyncData.Start, "32.5", "15")]));
        var second = await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [Fix(SyncData.Start, "32.50", "15.0")]));
        var third = await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [Fix(SyncData.Start, "3.25e1", "1.5e1")]));
        var open = SyncData.NewId(device);
        var part = await client.PostPart(SyncData.Part(open, device, 1, 2, [Fix(SyncData.Start + 1000, "32.5", "15")]));
        var again = await client.PostPart(SyncData.Part(open, device, 1, 2, [Fix(SyncData.Start + 1000, "32.500", "15.0")]));

        Assert.All([first, second, third, part], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var thirdAnswer = await third.Json();
        Assert.Equal((0, 1), (thirdAnswer.GetProperty("new_records").GetInt32(), thirdAnswer.GetProperty("already_stored").GetInt32()));
        Assert.True(again.StatusCode == HttpStatusCode.OK, await again.Content.ReadAsStringAsync());
        Assert.True((await again.Json()).GetProperty("duplicate").GetBoolean());
        Assert.Single(StoredLogs.RecordsOf(app.DataDirectory, device));
    }

#if !POSTGRESQL
    // Databases from before the rule are SQLite files: PostgreSQL's schema is newer than the rule.
    [Fact]
    public async Task Upgrade_RowsHashedByTheirSpelling_RecomputedOnceAtStart_TwinsMerged_NewArrivalsDeduplicated()
    {
        var device = SyncData.NewId("upgrade");
        string folder;
        using (var before = new BatchSyncApp { KeepDataDirectory = true })
        {
            var client = before.ClientWith(BatchSyncApp.DeviceToken);
            (await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1,
                [Fix(SyncData.Start, "32.50", "15.0"), Fix(SyncData.Start + 1000, "32.6", "12")]))).EnsureSuccessStatusCode();
            folder = before.DataDirectory;
        }

        // As a database of the previous release has it: hashes of the canonical text as sent, the same
        // fix stored twice in two spellings, and no record of the upgrade.
        using (var db = new SqliteConnection($"Data Source={Path.Combine(folder, "batchsync.db")};Pooling=False"))
        {
            db.Open();
            Execute(db, "DELETE FROM data_upgrades");
            foreach (var (id, data) in Rows(db, device))
            {
                Execute(db, "UPDATE location_logs SET content_hash = $h WHERE id = $id", ("$h", OldHash(data)), ("$id", id));
            }

            var (firstId, firstData) = Rows(db, device)[0];
            var twin = firstData.Replace("32.50", "32.5", StringComparison.Ordinal).Replace("15.0", "15", StringComparison.Ordinal);
            Execute(db,
                "INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) " +
                "SELECT device_id, user_name, sync_id, log_date, timestamp, $h, $data FROM location_logs WHERE id = $id",
                ("$h", OldHash(twin)), ("$data", twin), ("$id", firstId));
        }

        var file = Path.Combine(folder, "logs", "location", SyncData.Date(SyncData.Start), device + ".jsonl");
        File.AppendAllText(file, "");
        using var after = new BatchSyncApp([], dataDirectory: folder);
        var client2 = after.ClientWith(BatchSyncApp.DeviceToken);
        (await client2.GetAsync("/health/ready")).EnsureSuccessStatusCode();

        using (var check = (SqliteConnection)after.OpenDatabase())
        {
            var rows = Rows(check, device);
            Assert.Equal(2, rows.Count);
            Assert.Contains("32.50", rows[0].Data, StringComparison.Ordinal);
            Assert.All(rows, r => Assert.Equal(Scalar(check, "SELECT content_hash FROM location_logs WHERE id = $id", r.Id), (long)XxHash3.HashToUInt64(
                Encoding.UTF8.GetBytes(r.Data.Replace("32.50", "32.5", StringComparison.Ordinal).Replace("15.0", "15", StringComparison.Ordinal)))));
            Assert.Equal(1L, Scalar(check, "SELECT COUNT(*) FROM data_upgrades WHERE name = $n", "record-identity-by-value"));
        }

        Assert.Equal(2, File.ReadAllLines(file).Length);
        StoredLogs.AssertFilesMatchTables(folder);
        var resent = await client2.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [Fix(SyncData.Start, "3.25e1", "1.5e1"), Fix(SyncData.Start + 1000, "32.60", "12.0")]));
        Assert.Equal(0, (await resent.Json()).GetProperty("new_records").GetInt32());
        Assert.Equal(2, StoredLogs.RecordsOf(folder, device).Count);
    }

    private static long OldHash(string data) => (long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes(data));

    private static List<(long Id, string Data)> Rows(SqliteConnection db, string device)
    {
        using var command = db.CreateCommand();
        command.CommandText = "SELECT id, data FROM location_logs WHERE device_id = $d ORDER BY id";
        command.Parameters.AddWithValue("$d", device);
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return rows;
    }

    private static long Scalar(SqliteConnection db, string sql, object parameter)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(sql.Contains("$id", StringComparison.Ordinal) ? "$id" : "$n", parameter);
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(SqliteConnection db, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }
#endif
}
