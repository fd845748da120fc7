namespace BatchSync.Domain.Sync;

/// <summary>
/// What the completing request answered: kept so that a part of a completed sync sent again gets the
/// original completion response. <see cref="ProcessingResults"/> counts the sync's records by type and date;
/// <see cref="NewRecords"/> of them were stored by this sync, <see cref="AlreadyStored"/> were held before
/// (sent earlier, in this or another sync). Both are null for syncs completed before they were kept.
/// </summary>
public sealed record CompletionSummary(
    int PartNumber,
    int RecordsCount,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> ProcessingResults,
    int? NewRecords = null,
    int? AlreadyStored = null);
