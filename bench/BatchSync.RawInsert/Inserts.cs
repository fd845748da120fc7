using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BatchSync.RawInsert;

/// <summary>What one insert run took: all rows and the COMMIT, the COMMIT alone, and the file it left.</summary>
internal sealed record Measurement(string Label, int Records, long Inserted, TimeSpan Elapsed, TimeSpan Commit, long FileBytes)
{
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;
}

/// <summary>
/// The rows into a table in one transaction with one prepared statement: bound the server's way, with
/// <c>sqlite3_bind_*</c> on the connection's handle and UTF-8 at hand, or through ADO.NET parameters.
/// The loops are compiled fully optimized from their first call, so no run pays for the JIT's warm-up.
/// </summary>
internal static class Inserts
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (long Inserted, TimeSpan Elapsed, TimeSpan Commit) Raw(SqliteConnection connection, TableShape shape, LocationRecords records)
    {
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, shape.InsertSql, out var stmt));
        using (stmt)
        {
            long inserted = 0;
            var start = Stopwatch.GetTimestamp();
            Check(db, raw.sqlite3_exec(db, "BEGIN IMMEDIATE"));
            foreach (ref readonly var row in records.Rows.AsSpan())
            {
                Check(db, raw.sqlite3_bind_text(stmt, 1, row.DeviceId.Utf8));
                Check(db, raw.sqlite3_bind_text(stmt, 2, row.UserName.Utf8));
                Check(db, raw.sqlite3_bind_text(stmt, 3, row.SyncId.Utf8));
                Check(db, raw.sqlite3_bind_text(stmt, 4, row.LogDate.Utf8));
                Check(db, raw.sqlite3_bind_int64(stmt, 5, row.Timestamp));
                Check(db, raw.sqlite3_bind_int64(stmt, 6, row.ContentHash));
                Check(db, raw.sqlite3_bind_text(stmt, 7, row.Data));
                if (shape.Typed)
                {
                    Check(db, raw.sqlite3_bind_double(stmt, 8, row.Latitude));
                    Check(db, raw.sqlite3_bind_double(stmt, 9, row.Longitude));
                    Check(db, raw.sqlite3_bind_double(stmt, 10, row.Accuracy));
                    Check(db, row.Altitude is { } altitude ? raw.sqlite3_bind_double(stmt, 11, altitude) : raw.sqlite3_bind_null(stmt, 11));
                    Check(db, raw.sqlite3_bind_double(stmt, 12, row.Speed));
                    Check(db, raw.sqlite3_bind_double(stmt, 13, row.Bearing));
                    Check(db, raw.sqlite3_bind_double(stmt, 14, row.BatteryLevel));
                    Check(db, raw.sqlite3_bind_text(stmt, 15, row.NetworkType.Utf8));
                    Check(db, raw.sqlite3_bind_text(stmt, 16, row.Provider.Utf8));
                }

                var rc = raw.sqlite3_step(stmt);
                raw.sqlite3_reset(stmt);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(db, rc);
                }

                inserted += raw.sqlite3_changes(db);
            }

            var commit = Stopwatch.GetTimestamp();
            Check(db, raw.sqlite3_exec(db, "COMMIT"));
            var end = Stopwatch.GetTimestamp();
            return (inserted, Stopwatch.GetElapsedTime(start, end), Stopwatch.GetElapsedTime(commit, end));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (long Inserted, TimeSpan Elapsed, TimeSpan Commit) Ado(SqliteConnection connection, TableShape shape, LocationRecords records)
    {
        var data = records.DataText ?? throw new InvalidOperationException("The ADO.NET path needs the data as strings.");
        using var command = connection.CreateCommand();
        command.CommandText = shape.InsertSql;
        var p = Enumerable.Range(1, shape.Typed ? 16 : 7).Select(i => command.Parameters.Add(new SqliteParameter { ParameterName = $"?{i}" })).ToArray();
        long inserted = 0;
        var start = Stopwatch.GetTimestamp();
        using var transaction = connection.BeginTransaction();
        command.Transaction = transaction;
        command.Prepare();
        var rows = records.Rows;
        for (var i = 0; i < rows.Length; i++)
        {
            ref readonly var row = ref rows[i];
            p[0].Value = row.DeviceId.Value;
            p[1].Value = row.UserName.Value;
            p[2].Value = row.SyncId.Value;
            p[3].Value = row.LogDate.Value;
            p[4].Value = row.Timestamp;
            p[5].Value = row.ContentHash;
            p[6].Value = data[i];
            if (shape.Typed)
            {
                p[7].Value = row.Latitude;
                p[8].Value = row.Longitude;
                p[9].Value = row.Accuracy;
                p[10].Value = row.Altitude is { } altitude ? altitude : DBNull.Value;
                p[11].Value = row.Speed;
                p[12].Value = row.Bearing;
                p[13].Value = row.BatteryLevel;
                p[14].Value = row.NetworkType.Value;
                p[15].Value = row.Provider.Value;
            }

            inserted += command.ExecuteNonQuery();
        }

        var commit = Stopwatch.GetTimestamp();
        transaction.Commit();
        var end = Stopwatch.GetTimestamp();
        return (inserted, Stopwatch.GetElapsedTime(start, end), Stopwatch.GetElapsedTime(commit, end));
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }
}
