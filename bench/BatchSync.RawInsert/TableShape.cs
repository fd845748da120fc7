namespace BatchSync.RawInsert;

/// <summary>
/// A way to lay out <c>location_logs</c>, with the insert that skips a record the device's log already
/// holds (same device, timestamp and content hash). The server's rows bind 7 values by position: where
/// the record came from, its date, its identity and its JSON; <see cref="Typed"/> rows, as the server
/// stored them before its migration <c>LeanLogRows</c>, bind 9 field columns after those.
/// </summary>
internal sealed record TableShape(string Name, string[] CreateSql, string InsertSql, bool Typed = false)
{
    private const string Columns = "device_id, user_name, sync_id, log_date, timestamp, content_hash, data";
    private const string Values = "?1, ?2, ?3, ?4, ?5, ?6, ?7";
    private const string FieldColumns = ", latitude, longitude, accuracy, altitude, speed, bearing, battery_level, network_type, provider";
    private const string FieldValues = ", ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16";

    /// <summary>The server's rows clustered on the dedup key: one B-tree, no rowid, no second index.</summary>
    public static readonly TableShape WithoutRowid = new(
        "without-rowid",
        [
            "CREATE TABLE location_logs (device_id TEXT NOT NULL, timestamp INTEGER NOT NULL, content_hash INTEGER NOT NULL, " +
            "user_name TEXT NOT NULL, sync_id TEXT NOT NULL, log_date TEXT NOT NULL, data TEXT NOT NULL, " +
            "PRIMARY KEY (device_id, timestamp, content_hash)) WITHOUT ROWID",
        ],
        $"INSERT INTO location_logs ({Columns}) VALUES ({Values}) ON CONFLICT DO NOTHING");

    /// <summary>The server's table as its migrations create it: a rowid table and a unique index on the key.</summary>
    public static readonly TableShape RowidUnique = Rowid("rowid-unique", "PRIMARY KEY");

    /// <summary>The same, as it was before <c>LogRowIdsWithoutSequence</c>: its ids from an AUTOINCREMENT sequence.</summary>
    public static readonly TableShape AutoincrementRowidUnique = Rowid("autoincrement-rowid-unique", "PRIMARY KEY AUTOINCREMENT");

    /// <summary>The table before <c>LeanLogRows</c>: the same, with a typed column per field of the record.</summary>
    public static readonly TableShape TypedRowidUnique = new(
        "typed-rowid-unique",
        [
            "CREATE TABLE \"location_logs\" (\"id\" INTEGER NOT NULL CONSTRAINT \"PK_location_logs\" PRIMARY KEY AUTOINCREMENT, " +
            "\"latitude\" REAL NOT NULL, \"longitude\" REAL NOT NULL, \"accuracy\" REAL NULL, \"altitude\" REAL NULL, " +
            "\"battery_level\" REAL NULL, \"network_type\" TEXT NULL, \"provider\" TEXT NULL, \"device_id\" TEXT NOT NULL, " +
            "\"user_name\" TEXT NOT NULL, \"sync_id\" TEXT NOT NULL, \"log_date\" TEXT NOT NULL, \"timestamp\" INTEGER NOT NULL, " +
            "\"content_hash\" INTEGER NOT NULL, \"speed\" REAL NULL, \"bearing\" REAL NULL, \"data\" TEXT NOT NULL)",
            "CREATE UNIQUE INDEX \"IX_location_logs_device_id_timestamp_content_hash\" ON \"location_logs\" " +
            "(\"device_id\", \"timestamp\", \"content_hash\")",
        ],
        $"INSERT INTO location_logs ({Columns}{FieldColumns}) VALUES ({Values}{FieldValues}) ON CONFLICT (device_id, timestamp, content_hash) DO NOTHING",
        Typed: true);

    public static readonly IReadOnlyList<TableShape> All = [WithoutRowid, RowidUnique, AutoincrementRowidUnique, TypedRowidUnique];

    private static TableShape Rowid(string name, string key) => new(
        name,
        [
            $"CREATE TABLE \"location_logs\" (\"id\" INTEGER NOT NULL CONSTRAINT \"PK_location_logs\" {key}, " +
            "\"device_id\" TEXT NOT NULL, \"user_name\" TEXT NOT NULL, \"sync_id\" TEXT NOT NULL, \"log_date\" TEXT NOT NULL, " +
            "\"timestamp\" INTEGER NOT NULL, \"content_hash\" INTEGER NOT NULL, \"data\" TEXT NOT NULL)",
            "CREATE UNIQUE INDEX \"IX_location_logs_device_id_timestamp_content_hash\" ON \"location_logs\" " +
            "(\"device_id\", \"timestamp\", \"content_hash\")",
        ],
        $"INSERT INTO location_logs ({Columns}) VALUES ({Values}) ON CONFLICT (device_id, timestamp, content_hash) DO NOTHING");
}
