using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BatchSync.IntegrationTests;

/// <summary>
/// The outbox rows of written files are forgotten in a later commit of the writer; when that commit
/// fails (a full disk, here a trigger that refuses the delete) the rows are not left owed for good.
/// </summary>
public sealed class LogFileOutboxTests : IDisposable
{
    private readonly BatchSyncApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task ForgettingWrittenFilesFails_TriedAgainUntilTheOutboxIsEmpty()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();
        Execute("CREATE TRIGGER outbox_kept BEFORE DELETE ON log_file_outbox BEGIN SELECT RAISE(ABORT, 'outbox kept'); END");
        var device = SyncData.NewId("forget");
        var records = SyncData.Records(40);

        foreach (var part in SyncData.Parts(SyncData.NewId(device), device, records, 20))
        {
            (await client.PostPart(part)).EnsureSuccessStatusCode();
        }

        // The files are written (the completion was answered after them), and their rows cannot be forgotten.
        var path = _app.LogFile("location", SyncData.Date(SyncData.Start), device);
        Assert.True(File.Exists(path));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.True(StoredLogs.OwedFiles(_app.DataDirectory) > 0, "the outbox rows were forgotten despite the trigger");

        Execute("DROP TRIGGER outbox_kept");

        await Eventually.True(() => StoredLogs.OwedFiles(_app.DataDirectory) == 0, TimeSpan.FromSeconds(15), "the written files' outbox rows are forgotten once the writer can commit again");
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, records);
        StoredLogs.AssertFilesMatchTables(_app.DataDirectory);
    }

    private void Execute(string sql)
    {
        using var db = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "batchsync.db")};Pooling=False");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
