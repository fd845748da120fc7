namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>One piece of work queued for the writer: run inside a group's transaction, then answered once it commits or fails.</summary>
internal abstract class WorkItem
{
    public abstract void Run(WriteContext context);

    public abstract void Complete();

    public abstract void Fail(Exception error);
}
