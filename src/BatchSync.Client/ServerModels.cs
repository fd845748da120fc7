using System.Globalization;
using System.Text.Json.Nodes;

namespace BatchSync.Client;

/// <summary>
/// A sync as the server holds it (<c>GET /api/v1/sync-sessions/{sync_id}</c>): which parts arrived, which
/// are missing, and once completed what it stored.
/// </summary>
/// <param name="SyncId">The sync's id.</param>
/// <param name="DeviceId">The device the first part named.</param>
/// <param name="UserName">The user the first part named.</param>
/// <param name="SyncStatus"><c>open</c>, <c>completed</c>, <c>expired</c> or <c>aborted</c>.</param>
/// <param name="TotalParts">The parts the sync has.</param>
/// <param name="ReceivedParts">The numbers of the parts the server holds, ascending.</param>
/// <param name="MissingParts">The numbers of the parts still to send, ascending; empty once completed.</param>
/// <param name="RecordsReceived">Records in the parts received.</param>
/// <param name="Parts">Each part received, with its record count and checksum.</param>
/// <param name="CreatedAt">When the first part arrived (UTC).</param>
/// <param name="UpdatedAt">When the sync last changed (UTC).</param>
/// <param name="CompletedAt">When the sync completed (UTC); null while it has not.</param>
/// <param name="ProcessingResults">Once completed: the sync's records by type, then by log date.</param>
/// <param name="RequestId">The server's id of the request, for its logs.</param>
public sealed record SyncSession(
    string SyncId,
    string DeviceId,
    string UserName,
    string SyncStatus,
    int TotalParts,
    IReadOnlyList<int> ReceivedParts,
    IReadOnlyList<int> MissingParts,
    int RecordsReceived,
    IReadOnlyList<SyncSessionPart> Parts,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? ProcessingResults,
    string RequestId);

/// <summary>A part the server holds.</summary>
/// <param name="PartNumber">The part's number, from 1.</param>
/// <param name="RecordCount">Records in the part.</param>
/// <param name="Checksum"><c>sha256:</c> of the part's records' bytes as they were sent.</param>
/// <param name="ReceivedAt">When the server stored the part (UTC).</param>
public sealed record SyncSessionPart(int PartNumber, int RecordCount, string Checksum, DateTimeOffset ReceivedAt);

/// <summary>
/// Which of a device's stored records to read (<c>GET /api/v1/admin/devices/{device_id}/records</c>, an
/// admin token): one type, in timestamp order, a page at a time.
/// </summary>
/// <param name="DeviceId">The device.</param>
/// <param name="Type"><c>location</c> or <c>driving</c>.</param>
public sealed record DeviceRecordsRequest(string DeviceId, string Type = "location")
{
    /// <summary>The first timestamp wanted (Unix milliseconds, included); null for the first record.</summary>
    public long? From { get; init; }

    /// <summary>The end of the range (Unix milliseconds, excluded); null for the last record.</summary>
    public long? To { get; init; }

    /// <summary>Records a page holds at most; null for the server's default (500).</summary>
    public int? Limit { get; init; }

    /// <summary>Where a page starts: the <see cref="RecordPage.NextCursor"/> of the page before; null for the first.</summary>
    public string? Cursor { get; init; }

    /// <summary>The request's path and query, relative to the server's base address.</summary>
    internal string PathAndQuery()
    {
        var query = new List<string> { "type=" + Uri.EscapeDataString(Type) };
        if (From is { } from)
        {
            query.Add("from=" + from.ToString(CultureInfo.InvariantCulture));
        }

        if (To is { } to)
        {
            query.Add("to=" + to.ToString(CultureInfo.InvariantCulture));
        }

        if (Limit is { } limit)
        {
            query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        }

        if (Cursor is not null)
        {
            query.Add("cursor=" + Uri.EscapeDataString(Cursor));
        }

        return $"api/v1/admin/devices/{Uri.EscapeDataString(DeviceId)}/records?{string.Join('&', query)}";
    }
}

/// <summary>One page of a device's stored records.</summary>
/// <param name="Items">The records, in timestamp order.</param>
/// <param name="NextCursor">Pass as <see cref="DeviceRecordsRequest.Cursor"/> for the next page; null when this is the last.</param>
/// <param name="Type">Which records these are.</param>
public sealed record RecordPage(IReadOnlyList<StoredRecord> Items, string? NextCursor, string Type);

/// <summary>A record as the server stored it.</summary>
/// <param name="Timestamp">The record's timestamp (Unix milliseconds).</param>
/// <param name="LogDate">Its date in the server's time zone: the log table's and dated file's date.</param>
/// <param name="SyncId">The sync that brought it first.</param>
/// <param name="UserName">The user that sync named.</param>
/// <param name="Record">The record as it was sent, fields the server does not know included.</param>
public sealed record StoredRecord(long Timestamp, DateOnly LogDate, string SyncId, string UserName, JsonObject Record);

/// <summary>The server's health answer (<c>GET /health/live</c>).</summary>
/// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
/// <param name="Checks">Each check's status, by name (none for liveness).</param>
public sealed record ServerHealth(string Status, IReadOnlyDictionary<string, string> Checks);

/// <summary>The admin API's success envelope: what was asked for, under <c>data</c>.</summary>
internal sealed record AdminEnvelope<T>(T Data, string RequestId);

/// <summary>What the client reads of an upload's answer: did the sync complete, and what did it store.</summary>
internal sealed record PartAnswer(bool? SyncComplete, int? NewRecords, int? AlreadyStored);
