namespace BatchSync.Api.OpenApi;

/// <summary>Example bodies of an endpoint, by status code, shown in Swagger UI.</summary>
internal sealed record ExamplesMetadata(string? Request, IReadOnlyDictionary<int, string> Responses);

internal static class Examples
{
    private const string Conflict =
        """{"status":"error","message":"Part 2 of sync device123_1694123456789_k3j4h5 was already received with different records","errors":{"records":["differ from the part already received"]},"retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""";

    private const string Validation =
        """{"status":"error","message":"Validation failed","errors":{"records[3].latitude":["must be between -90 and 90"],"part_number":["must not exceed total_parts"]},"retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""";

    private const string Unauthorized =
        """{"status":"error","message":"Missing or unknown bearer token","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""";

    private const string Forbidden =
        """{"status":"error","message":"This token may not write device device123","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""";

    /// <summary>
    /// Works as Swagger UI's Try-it-out sends it, re-formatted and all, and again as a duplicate: one part
    /// of a sync of one part, under a sync id of its own (not the README's), without a checksum.
    /// </summary>
    public static readonly ExamplesMetadata Upload = new(
        """
        {"sync_id":"device123_1694123456789_swagger","device_id":"device123","user_name":"john_doe","part_number":1,"total_parts":1,
         "records":[
          {"type":"location","timestamp":1694123456789,"latitude":32.0853,"longitude":34.7818,"accuracy":15.0,"altitude":125.5,"speed":45.2,"bearing":245.8,"battery_level":85,"network_type":"WiFi","provider":"gps"},
          {"type":"driving","timestamp":1694123466789,"event_type":"driving_start","location":{"latitude":32.0863,"longitude":34.7828,"accuracy":12.0},"speed":0,"bearing":180.0}]}
        """,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","message":"Sync completed successfully","sync_id":"device123_1694123456789_swagger","part_number":1,"total_parts":1,"records_count":2,"sync_complete":true,"processing_results":{"driving":{"2023-09-07":1},"location":{"2023-09-07":1}},"request_id":"5d0c1e7a9b3f2a64"}""",
            [400] = """{"status":"error","message":"Validation failed","errors":{"checksum":["does not match the records: their bytes in this body hash to sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]},"retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = Forbidden,
            [409] = Conflict,
            [413] = """{"status":"error","message":"Too many records in one part","errors":{"records":["must not contain more than 100 records"]},"retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [415] = """{"status":"error","message":"Content-Type must be application/json","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [429] = """{"status":"error","message":"Device device123 already has 10 syncs open; finish one, or send again later","retryable":true,"request_id":"5d0c1e7a9b3f2a64"}""",
            [500] = """{"status":"error","message":"Internal server error; the request may be retried","retryable":true,"request_id":"5d0c1e7a9b3f2a64"}""",
            [507] = """{"status":"error","message":"The server is short of storage; nothing was lost, send the part again later","retryable":true,"request_id":"5d0c1e7a9b3f2a64"}""",
        });

    public static readonly ExamplesMetadata Session = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","sync_id":"device123_1694123456789_k3j4h5","device_id":"device123","user_name":"john_doe","sync_status":"open","total_parts":5,"received_parts":[1,2,4],"missing_parts":[3,5],"records_received":300,"parts":[{"part_number":1,"record_count":100,"checksum":"sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8","received_at":"2023-09-07T21:50:57.012Z"},{"part_number":2,"record_count":100,"checksum":"sha256:a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3","received_at":"2023-09-07T21:50:59.480Z"},{"part_number":4,"record_count":100,"checksum":"sha256:b3a8e0e1f9ab1bfe3a36f231f676f78bb30a519d2b21e6c530c0eee8ebb4a5d0","received_at":"2023-09-07T21:51:02.120Z"}],"created_at":"2023-09-07T21:50:56.789Z","updated_at":"2023-09-07T21:51:02.120Z","request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = """{"status":"error","message":"This token may not read the sessions of device device123","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [404] = """{"status":"error","message":"Sync session device123_1694123456789_k3j4h5 not found","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [429] = """{"status":"error","message":"Too many requests for this token; send again after Retry-After","retryable":true,"request_id":"5d0c1e7a9b3f2a64"}""",
        });

    private const string AdminForbidden =
        """{"status":"error","message":"This token may not do that","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""";

    public static readonly ExamplesMetadata AdminSessions = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":{"items":[{"sync_id":"device123_1694123456789_k3j4h5","device_id":"device123","user_name":"john_doe","sync_status":"open","total_parts":5,"received_parts":3,"created_at":"2023-09-07T21:50:56.789Z","updated_at":"2023-09-07T21:51:02.120Z","completed_at":null}],"page_number":1,"page_size":50,"total":1,"next_cursor":null},"request_id":"5d0c1e7a9b3f2a64"}""",
            [400] = """{"status":"error","message":"Validation failed","errors":{"status":["must be open, completed, expired or aborted"]},"retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
        });

    public static readonly ExamplesMetadata AdminSession = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":{"sync_id":"device123_1694123456789_k3j4h5","device_id":"device123","user_name":"john_doe","sync_status":"open","total_parts":5,"received_parts":[1,2],"missing_parts":[3,4,5],"records_received":200,"parts":[{"part_number":1,"record_count":100,"checksum":"sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8","received_at":"2023-09-07T21:50:57.012Z"},{"part_number":2,"record_count":100,"checksum":"sha256:a665a45920422f9d417e4867efdc4fb8a04a1f3fff1fa07e998e86f7f7a27ae3","received_at":"2023-09-07T21:50:59.480Z"}],"created_at":"2023-09-07T21:50:56.789Z","updated_at":"2023-09-07T21:50:59.480Z","completed_at":null,"processing_results":null},"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
            [404] = """{"status":"error","message":"Sync session device123_1694123456789_k3j4h5 not found","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
        });

    public static readonly ExamplesMetadata AdminAbort = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":{"sync_id":"device123_1694123456789_k3j4h5","device_id":"device123","user_name":"john_doe","sync_status":"aborted","total_parts":5,"received_parts":0,"created_at":"2023-09-07T21:50:56.789Z","updated_at":"2023-09-08T08:00:00.000Z","completed_at":null},"request_id":"5d0c1e7a9b3f2a64"}""",
            [409] = """{"status":"error","message":"Sync device123_1694123456789_k3j4h5 is completed; only an open sync can be aborted","retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
        });

    public static readonly ExamplesMetadata AdminRecords = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":{"items":[{"timestamp":1694123456789,"log_date":"2023-09-07","sync_id":"device123_1694123456789_k3j4h5","user_name":"john_doe","record":{"type":"location","timestamp":1694123456789,"latitude":32.0853,"longitude":34.7818,"accuracy":15.0}}],"next_cursor":"MTY5NDEyMzQ1Njc4OToxMg==","type":"location"},"request_id":"5d0c1e7a9b3f2a64"}""",
            [400] = """{"status":"error","message":"Validation failed","errors":{"type":["must be location or driving"]},"retryable":false,"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
        });

    public static readonly ExamplesMetadata AdminDaily = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":[{"date":"2023-09-07","type":"driving","records":25,"devices":3},{"date":"2023-09-07","type":"location","records":1500,"devices":3}],"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
        });

    public static readonly ExamplesMetadata AdminAudit = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":{"items":[{"id":812,"at":"2023-09-07T21:51:02.120Z","outcome":"refused","status":403,"request_id":"5d0c1e7a9b3f2a64","token_name":"fleet-app","remote_address":"203.0.113.7","method":"POST","path":"/batch-sync.php","device_id":"device999","user_name":"john_doe","sync_id":"device999_1694123456789_x1","part_number":1,"reason":"This token may not write device device999"}],"next_cursor":"ODEy","next_before":812},"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
        });

    public static readonly ExamplesMetadata AdminDevices = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"success","data":{"items":[{"device_id":"device123","last_position":{"timestamp":1694123456789,"latitude":32.0853,"longitude":34.7818,"accuracy":15.0},"last_sync":{"sync_id":"device123_1694123456789_k3j4h5","sync_status":"completed","updated_at":"2023-09-07T21:51:02.120Z"}}],"page_number":1,"page_size":100,"total":1,"next_cursor":null},"request_id":"5d0c1e7a9b3f2a64"}""",
            [401] = Unauthorized,
            [403] = AdminForbidden,
        });

    public static readonly ExamplesMetadata HealthLive = new(
        null,
        new Dictionary<int, string> { [200] = """{"status":"healthy","checks":{}}""" });

    public static readonly ExamplesMetadata HealthReady = new(
        null,
        new Dictionary<int, string>
        {
            [200] = """{"status":"healthy","checks":{"database":"healthy","data-folder":"healthy","free-space":"healthy"}}""",
            [503] = """{"status":"unhealthy","checks":{"database":"healthy","data-folder":"healthy","free-space":"unhealthy"}}""",
        });
}
