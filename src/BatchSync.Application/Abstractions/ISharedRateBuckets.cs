namespace BatchSync.Application.Abstractions;

/// <summary>
/// Request budgets shared by every instance of the server, one token bucket per token name. Absent on
/// SQLite, where the one process keeps its buckets in memory.
/// </summary>
public interface ISharedRateBuckets
{
    /// <summary>
    /// Takes up to <paramref name="want"/> requests out of the name's bucket, which refills at
    /// <paramref name="perSecond"/> a second up to <paramref name="burst"/>. Returns how many it took.
    /// </summary>
    Task<int> TakeAsync(string name, int want, int perSecond, int burst, CancellationToken cancellationToken);
}
