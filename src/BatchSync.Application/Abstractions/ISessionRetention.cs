namespace BatchSync.Application.Abstractions;

/// <summary>Forgetting finished syncs: bookkeeping only, the log tables keep every record.</summary>
public interface ISessionRetention
{
    /// <summary>
    /// Deletes up to <paramref name="limit"/> completed or expired sessions last touched before
    /// <paramref name="finishedBefore"/>, with their parts. Returns how many.
    /// </summary>
    Task<int> PurgeFinishedAsync(DateTime finishedBefore, int limit, CancellationToken cancellationToken);
}
