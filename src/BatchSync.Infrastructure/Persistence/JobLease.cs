namespace BatchSync.Infrastructure.Persistence;

/// <summary>Whether this instance runs a background job now: once per interval across all instances, never two at once.</summary>
internal interface IJobLease
{
    /// <summary>A lease to dispose once the run is over, or null when the job is not this instance's to run now.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string job, TimeSpan interval, CancellationToken cancellationToken);
}

/// <summary>One process on its data folder (SQLite): every run is its own.</summary>
internal sealed class LocalJobLease : IJobLease
{
    private static readonly IAsyncDisposable Nothing = new Empty();

    public Task<IAsyncDisposable?> TryAcquireAsync(string job, TimeSpan interval, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(Nothing);

    private sealed class Empty : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
