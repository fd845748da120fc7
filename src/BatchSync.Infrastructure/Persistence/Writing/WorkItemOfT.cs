namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>A <see cref="WorkItem"/> whose result its caller awaits; a failure reaches the caller as a storage fault.</summary>
internal sealed class WorkItem<T>(Func<WriteContext, T> work) : WorkItem
{
    private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _value;

    public Task<T> Task => _result.Task;

    public override void Run(WriteContext context) => _value = work(context);

    public override void Complete() => _result.TrySetResult(_value!);

    public override void Fail(Exception error) => _result.TrySetException(StorageFaults.Translate(error));
}
