using System.Text;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// A completion's records into the log tables, in log order, in one statement per table:
/// <c>INSERT ... SELECT ... WHERE NOT EXISTS (stored) ORDER BY ... RETURNING</c>, which tells exactly which
/// records are new. A device's completions insert one at a time, so the anti-join cannot miss a row
/// another transaction is adding (the primary key would refuse it, and the unit of work fail). The rows reach the statement as arrays (<c>unnest</c>) for a small completion, by
/// binary COPY into a temporary table for a large one (<see cref="StorageOptions.CopyFromRecords"/>).
/// One outbox row per dated file that got new records is written in the same transaction, with the
/// earliest timestamp the completion added to it.
/// All the PostgreSQL SQL of the log tables is here.
/// </summary>
internal sealed class PostgresLogRows(IOptions<StorageOptions> options)
{
    private const string LocationColumns =
        "device_id, user_name, sync_id, log_date, timestamp, content_hash, data, speed, bearing, " +
        "latitude, longitude, accuracy, altitude, battery_level, network_type, provider";

    private const string DrivingColumns =
        "device_id, user_name, sync_id, log_date, timestamp, content_hash, data, speed, bearing, " +
        "event_type, latitude, longitude, accuracy";

    private static readonly string InsertLocationFromArrays =
        $"INSERT INTO location_logs ({LocationColumns}) " +
        "SELECT $1, $2, $3, r.d, r.t, r.h, r.j, r.s, r.b, r.lat, r.lon, r.acc, r.alt, r.bat, r.net, r.prov " +
        "FROM unnest($4::date[], $5::bigint[], $6::bigint[], $7::text[], $8::float8[], $9::float8[], $10::float8[], $11::float8[], " +
        "$12::float8[], $13::float8[], $14::float8[], $15::text[], $16::text[]) WITH ORDINALITY " +
        "AS r(d, t, h, j, s, b, lat, lon, acc, alt, bat, net, prov, ord) " +
        "WHERE NOT EXISTS (SELECT 1 FROM location_logs x WHERE x.device_id = $1 AND x.timestamp = r.t AND x.content_hash = r.h AND x.log_date = r.d) " +
        "ORDER BY r.ord RETURNING log_date, timestamp";

    private static readonly string InsertDrivingFromArrays =
        $"INSERT INTO driving_logs ({DrivingColumns}) " +
        "SELECT $1, $2, $3, r.d, r.t, r.h, r.j, r.s, r.b, r.ev, r.lat, r.lon, r.acc " +
        "FROM unnest($4::date[], $5::bigint[], $6::bigint[], $7::text[], $8::float8[], $9::float8[], $10::text[], $11::float8[], " +
        "$12::float8[], $13::float8[]) WITH ORDINALITY AS r(d, t, h, j, s, b, ev, lat, lon, acc, ord) " +
        "WHERE NOT EXISTS (SELECT 1 FROM driving_logs x WHERE x.device_id = $1 AND x.timestamp = r.t AND x.content_hash = r.h AND x.log_date = r.d) " +
        "ORDER BY r.ord RETURNING log_date, timestamp";

    private const string CreateStaging =
        "CREATE TEMP TABLE IF NOT EXISTS incoming_location (ord int, log_date date, timestamp bigint, content_hash bigint, data text, " +
        "speed float8, bearing float8, latitude float8, longitude float8, accuracy float8, altitude float8, battery_level float8, " +
        "network_type text, provider text) ON COMMIT DELETE ROWS; " +
        "CREATE TEMP TABLE IF NOT EXISTS incoming_driving (ord int, log_date date, timestamp bigint, content_hash bigint, data text, " +
        "speed float8, bearing float8, event_type text, latitude float8, longitude float8, accuracy float8) ON COMMIT DELETE ROWS;";

    private static readonly string InsertLocationFromStaging =
        $"INSERT INTO location_logs ({LocationColumns}) " +
        "SELECT $1, $2, $3, log_date, timestamp, content_hash, data, speed, bearing, latitude, longitude, accuracy, altitude, " +
        "battery_level, network_type, provider FROM incoming_location r " +
        "WHERE NOT EXISTS (SELECT 1 FROM location_logs x WHERE x.device_id = $1 AND x.timestamp = r.timestamp AND x.content_hash = r.content_hash " +
        "AND x.log_date = r.log_date) ORDER BY ord RETURNING log_date, timestamp";

    private static readonly string InsertDrivingFromStaging =
        $"INSERT INTO driving_logs ({DrivingColumns}) " +
        "SELECT $1, $2, $3, log_date, timestamp, content_hash, data, speed, bearing, event_type, latitude, longitude, accuracy " +
        "FROM incoming_driving r " +
        "WHERE NOT EXISTS (SELECT 1 FROM driving_logs x WHERE x.device_id = $1 AND x.timestamp = r.timestamp AND x.content_hash = r.content_hash " +
        "AND x.log_date = r.log_date) ORDER BY ord RETURNING log_date, timestamp";

    public async ValueTask<LogAppendResult> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        IReadOnlyList<PreparedRecord> records,
        CancellationToken cancellationToken)
    {
        // The first of records with one identity is kept, the way a unique key keeps the first one inserted.
        var locations = new List<PreparedRecord>();
        var drivings = new List<PreparedRecord>();
        var seen = new HashSet<(RecordType, long, long, DateOnly)>();
        foreach (var record in records)
        {
            if (seen.Add((record.Record.Type, record.Record.Timestamp, record.ContentHash, record.LogDate)))
            {
                (record.Record.Type == RecordType.Location ? locations : drivings).Add(record);
            }
        }

        // The statements skip what is stored already (an anti-join, cheaper than ON CONFLICT's speculative
        // insertion); with the device's completions one at a time, nothing can slip in between.
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))", connection, transaction))
        {
            serialize.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.DeviceRows });
            serialize.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }

        var copy = records.Count >= options.Value.CopyFromRecords;
        if (copy)
        {
            await using var create = new NpgsqlCommand(CreateStaging, connection, transaction);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var owed = new List<OwedLogFile>();
        var inserted = 0;
        foreach (var (type, rows) in new[] { (RecordType.Location, locations), (RecordType.Driving, drivings) })
        {
            if (rows.Count == 0)
            {
                continue;
            }

            var newByDate = copy
                ? await InsertByCopyAsync(connection, transaction, session, type, rows, cancellationToken)
                : await InsertFromArraysAsync(connection, transaction, session, type, rows, cancellationToken);
            foreach (var (date, added) in newByDate.OrderBy(d => d.Key))
            {
                inserted += added.Count;
                var outboxId = await AddOutboxAsync(connection, transaction, session, type, date, added.First, cancellationToken);
                owed.Add(new OwedLogFile(type, session.DeviceId, date, outboxId));
            }
        }

        return new LogAppendResult(inserted, records.Count - inserted, owed);
    }

    private static async Task<Dictionary<DateOnly, NewRows>> InsertFromArraysAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        RecordType type,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        var n = rows.Count;
        var dates = new DateOnly[n];
        var timestamps = new long[n];
        var hashes = new long[n];
        var data = new string[n];
        var speeds = new double?[n];
        var bearings = new double?[n];
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            dates[i] = r.LogDate;
            timestamps[i] = r.Record.Timestamp;
            hashes[i] = r.ContentHash;
            data[i] = Encoding.UTF8.GetString(r.Json);
        }

        await using var insert = new NpgsqlCommand(type == RecordType.Location ? InsertLocationFromArrays : InsertDrivingFromArrays, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.UserName });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.SyncId });
        insert.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = dates });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = timestamps });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = hashes });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data });
        if (type == RecordType.Location)
        {
            var lat = new double?[n];
            var lon = new double?[n];
            var acc = new double?[n];
            var alt = new double?[n];
            var bat = new double?[n];
            var net = new string?[n];
            var prov = new string?[n];
            for (var i = 0; i < n; i++)
            {
                var l = (LocationRecord)rows[i].Record;
                (speeds[i], bearings[i], lat[i], lon[i], acc[i], alt[i], bat[i], net[i], prov[i]) =
                    (l.Speed, l.Bearing, l.Latitude, l.Longitude, l.Accuracy, l.Altitude, l.BatteryLevel, l.NetworkType, l.Provider);
            }

            AddArrays(insert, speeds, bearings, lat, lon, acc, alt, bat);
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = net });
            insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = prov });
        }
        else
        {
            var ev = new string[n];
            var lat = new double?[n];
            var lon = new double?[n];
            var acc = new double?[n];
            for (var i = 0; i < n; i++)
            {
                var d = (DrivingRecord)rows[i].Record;
                (speeds[i], bearings[i], ev[i], lat[i], lon[i], acc[i]) = (d.Speed, d.Bearing, d.EventType, d.Latitude, d.Longitude, d.Accuracy);
            }

            AddArrays(insert, speeds, bearings);
            insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ev });
            AddArrays(insert, lat, lon, acc);
        }

        return await CountNewAsync(insert, cancellationToken);
    }

    private static async Task<Dictionary<DateOnly, NewRows>> InsertByCopyAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        RecordType type,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        var location = type == RecordType.Location;
        var copy = location
            ? "COPY incoming_location (ord, log_date, timestamp, content_hash, data, speed, bearing, latitude, longitude, accuracy, altitude, " +
              "battery_level, network_type, provider) FROM STDIN (FORMAT BINARY)"
            : "COPY incoming_driving (ord, log_date, timestamp, content_hash, data, speed, bearing, event_type, latitude, longitude, accuracy) " +
              "FROM STDIN (FORMAT BINARY)";
        await using (var importer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(r.LogDate, NpgsqlDbType.Date, cancellationToken);
                await importer.WriteAsync(r.Record.Timestamp, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(r.ContentHash, NpgsqlDbType.Bigint, cancellationToken);
                await importer.WriteAsync(Encoding.UTF8.GetString(r.Json), NpgsqlDbType.Text, cancellationToken);
                switch (r.Record)
                {
                    case LocationRecord l:
                        await Write(importer, l.Speed, cancellationToken);
                        await Write(importer, l.Bearing, cancellationToken);
                        await importer.WriteAsync(l.Latitude, NpgsqlDbType.Double, cancellationToken);
                        await importer.WriteAsync(l.Longitude, NpgsqlDbType.Double, cancellationToken);
                        await Write(importer, l.Accuracy, cancellationToken);
                        await Write(importer, l.Altitude, cancellationToken);
                        await Write(importer, l.BatteryLevel, cancellationToken);
                        await Write(importer, l.NetworkType, cancellationToken);
                        await Write(importer, l.Provider, cancellationToken);
                        break;
                    case DrivingRecord d:
                        await Write(importer, d.Speed, cancellationToken);
                        await Write(importer, d.Bearing, cancellationToken);
                        await importer.WriteAsync(d.EventType, NpgsqlDbType.Text, cancellationToken);
                        await Write(importer, d.Latitude, cancellationToken);
                        await Write(importer, d.Longitude, cancellationToken);
                        await Write(importer, d.Accuracy, cancellationToken);
                        break;
                }
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand(location ? InsertLocationFromStaging : InsertDrivingFromStaging, connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.UserName });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.SyncId });
        var counts = await CountNewAsync(insert, cancellationToken);

        // ON COMMIT DELETE ROWS empties it at the end; a second table of the same completion starts empty too.
        await using var clear = new NpgsqlCommand(location ? "TRUNCATE incoming_location" : "TRUNCATE incoming_driving", connection, transaction);
        await clear.ExecuteNonQueryAsync(cancellationToken);
        return counts;
    }

    private static async Task<Dictionary<DateOnly, NewRows>> CountNewAsync(NpgsqlCommand insert, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<DateOnly, NewRows>();
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var date = reader.GetFieldValue<DateOnly>(0);
            var timestamp = reader.GetInt64(1);
            counts[date] = counts.TryGetValue(date, out var seen)
                ? new NewRows(seen.Count + 1, Math.Min(seen.First, timestamp))
                : new NewRows(1, timestamp);
        }

        CrashPoints.Reach(CrashPoints.CompletionInserted);
        return counts;
    }

    private static async Task<long> AddOutboxAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        RecordType type,
        DateOnly date,
        long firstTimestamp,
        CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO log_file_outbox (log_type, device_id, log_date, sync_id, first_timestamp) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type.WireName() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
        insert.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = date });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.SyncId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstTimestamp });
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How many rows of one day a statement added, and the earliest timestamp among them.</summary>
    private readonly record struct NewRows(int Count, long First);

    private static void AddArrays(NpgsqlCommand command, params double?[][] arrays)
    {
        foreach (var array in arrays)
        {
            command.Parameters.Add(new NpgsqlParameter<double?[]> { TypedValue = array });
        }
    }

    private static Task Write(NpgsqlBinaryImporter importer, double? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken) : importer.WriteNullAsync(cancellationToken);

    private static Task Write(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is not null ? importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
