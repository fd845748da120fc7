using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The PostgreSQL statements that add a completion's records to one log table: each skips the records
/// the table holds already (an anti-join on the primary key) and returns the date and timestamp of those
/// it added. From arrays, the parameters are the sync's device, user and id, the first and last timestamp
/// of the rows, then one array per column: log date, timestamp, content hash, data. From staging, a
/// temporary table filled by binary COPY. When the device holds no row in the time range, nothing is
/// to be skipped and the rows are copied into the table itself.
/// </summary>
internal sealed record PostgresLogStatements(
    string AnyStoredInRange,
    string CopyToTable,
    string InsertFromArrays,
    string CreateStaging,
    string CopyToStaging,
    string InsertFromStaging,
    string ClearStaging)
{
    private const string Columns = "device_id, user_name, sync_id, log_date, timestamp, content_hash, data";

    public static PostgresLogStatements Of(RecordType type)
    {
        var table = LogTables.Of(type);
        var staging = "incoming_" + type.WireName();
        // The range of the rows' timestamps ($4, $5) bounds what the anti-join reads of the device's
        // rows, so the chunks of a big completion do not each read the rows the chunks before added.
        var stored =
            $"WHERE NOT EXISTS (SELECT 1 FROM {table} x WHERE x.device_id = $1 AND x.timestamp BETWEEN $4 AND $5 " +
            "AND x.timestamp = r.timestamp AND x.content_hash = r.content_hash AND x.log_date = r.log_date) ";

        var fromArrays =
            $"INSERT INTO {table} ({Columns}) SELECT $1, $2, $3, r.log_date, r.timestamp, r.content_hash, r.data " +
            "FROM unnest($6::date[], $7::bigint[], $8::bigint[], $9::text[]) WITH ORDINALITY AS r(log_date, timestamp, content_hash, data, ord) " +
            stored + "ORDER BY r.ord RETURNING log_date, timestamp";

        var create =
            $"CREATE TEMP TABLE IF NOT EXISTS {staging} (ord int, log_date date, timestamp bigint, content_hash bigint, data text) ON COMMIT DELETE ROWS";
        var copy = $"COPY {staging} (ord, log_date, timestamp, content_hash, data) FROM STDIN (FORMAT BINARY)";
        var fromStaging =
            $"INSERT INTO {table} ({Columns}) SELECT $1, $2, $3, log_date, timestamp, content_hash, data " +
            $"FROM {staging} r " + stored + "ORDER BY ord RETURNING log_date, timestamp";
        // The dates bound which day partitions the probe reads.
        var anyStored = $"SELECT EXISTS (SELECT 1 FROM {table} WHERE device_id = $1 AND timestamp BETWEEN $2 AND $3 AND log_date BETWEEN $4 AND $5)";
        var copyToTable = $"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)";
        return new PostgresLogStatements(anyStored, copyToTable, fromArrays, create, copy, fromStaging, $"TRUNCATE {staging}");
    }
}
