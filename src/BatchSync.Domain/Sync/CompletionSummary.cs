namespace BatchSync.Domain.Sync;

/// <summary>
/// What the completing request answered: kept so that a part of a completed sync sent again gets the
/// original completion response. <see cref="ProcessingResults"/> counts the sync's records by type and date.
/// </summary>
public sealed record CompletionSummary(
    int PartNumber,
    int RecordsCount,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ProcessingResults);
