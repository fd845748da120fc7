namespace BatchSync.Application.Abstractions;

/// <summary>
/// The dated log files, which follow the tables. A file a completion changed is owed (an outbox row,
/// committed with the completion) until it is written; whatever happens, an owed file is written later.
/// </summary>
public interface IDatedLogFiles
{
    /// <summary>Returns once the files hold what the tables hold for them; throws when they could not be written yet.</summary>
    Task WriteAsync(IReadOnlyList<OwedLogFile> files, CancellationToken cancellationToken);
}
