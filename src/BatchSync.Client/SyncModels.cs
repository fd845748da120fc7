namespace BatchSync.Client;

/// <summary>How far a sync run is: parts and records the server has acknowledged, of those planned.</summary>
public sealed record SyncProgress(int PartsDone, int PartsTotal, int RecordsDone, int RecordsTotal);

/// <summary>
/// What a sync run delivered: the syncs the server completed and their records; of those, how many the
/// server stored new and how many it held already (a resend). When a completion's answer was lost the
/// server's counts for that sync are unknown, so <see cref="RecordsNew"/> + <see cref="RecordsAlreadyStored"/>
/// may be less than <see cref="RecordsSynced"/>.
/// </summary>
public sealed record SyncResult(IReadOnlyList<string> CompletedSyncIds, int RecordsSynced, int RecordsNew = 0, int RecordsAlreadyStored = 0);

public sealed class SyncCompletedEventArgs(SyncResult result) : EventArgs
{
    public SyncResult Result { get; } = result;
}

public sealed class SyncFailedEventArgs(Exception error) : EventArgs
{
    public Exception Error { get; } = error;
}

/// <summary>
/// The server refused a part and sending it again as it is will not help (400, 401, 403, 409, 413,
/// 415), or a transient failure outlasted the retries (<see cref="Retryable"/>). The records stay in
/// the store, unsynced.
/// </summary>
public sealed class BatchSyncException : Exception
{
    public BatchSyncException()
    {
    }

    public BatchSyncException(string message)
        : base(message)
    {
    }

    public BatchSyncException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BatchSyncException(int status, string message, IReadOnlyDictionary<string, string[]>? errors, bool retryable)
        : base(errors is { Count: > 0 } ? $"{message}: {string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}"))}" : message)
    {
        Status = status;
        ServerMessage = message;
        Errors = errors;
        Retryable = retryable;
    }

    /// <summary>The HTTP status, 0 when no answer came.</summary>
    public int Status { get; }

    /// <summary>The server's <c>message</c>.</summary>
    public string? ServerMessage { get; }

    /// <summary>The server's field errors, such as <c>records[3].latitude</c>.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; }

    public bool Retryable { get; }
}
