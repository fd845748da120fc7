namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>One piece of work queued for the writer: run inside a group's transaction, then answered once it commits or fails.</summary>
internal abstract class WorkItem
{
    /// <summary>When it was queued (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    public long QueuedAt { get; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public abstract void Run(WriteContext context);

    public abstract void Complete();

    public abstract void Fail(Exception error);
}
