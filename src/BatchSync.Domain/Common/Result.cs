namespace BatchSync.Domain.Common;

/// <summary>Either a value or an <see cref="Error"/>; expected outcomes travel as values, not exceptions.</summary>
public readonly record struct Result<T> : IFailable<Result<T>>
{
    private readonly T? _value;

    private Result(T value)
    {
        _value = value;
        Error = null;
    }

    private Result(Error error)
    {
        _value = default;
        Error = error;
    }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"Result is a failure: {Error!.Message}");

    public static Result<T> Failure(Error error) => new(error);

    public static Result<T> Fail(Error error) => new(error);

    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(Error error) => new(error);
}

/// <summary>Lets generic code (a pipeline behaviour) build the failure of a result type it does not know.</summary>
public interface IFailable<TSelf>
    where TSelf : IFailable<TSelf>
{
    static abstract TSelf Fail(Error error);
}

/// <summary>Done, or an <see cref="Error"/>: for a change that yields nothing but may be refused.</summary>
public readonly record struct Result
{
    private Result(Error error) => Error = error;

    /// <summary>The change was made.</summary>
    public static Result Success => default;

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result(Error error) => new(error);
}
