namespace BatchSync.Domain.Common;

/// <summary>What kind of expected failure an <see cref="Error"/> is; the Api maps each to one status code.</summary>
public enum ErrorKind
{
    Validation,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,

    /// <summary>A limit on how much a caller may have at once or do per second; the same request may pass later.</summary>
    TooManyRequests,

    /// <summary>The server is short of storage: nothing was stored, the same request may succeed later.</summary>
    InsufficientStorage,

    /// <summary>Something the server needs is failing for now; the same request may succeed later.</summary>
    Unavailable,
}

/// <summary>An expected failure: a rule said no. Field errors are keyed by the wire path (<c>records[3].latitude</c>).</summary>
/// <param name="RetryAfter">For a failure that passes: when the client may try again.</param>
public sealed record Error(
    ErrorKind Kind,
    string Message,
    IReadOnlyDictionary<string, string[]>? Fields = null,
    TimeSpan? RetryAfter = null)
{
    public static Error TooManyRequests(string message, TimeSpan retryAfter) =>
        new(ErrorKind.TooManyRequests, message, RetryAfter: retryAfter);

    public static Error InsufficientStorage(string message, TimeSpan retryAfter) =>
        new(ErrorKind.InsufficientStorage, message, RetryAfter: retryAfter);

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "Validation failed", fields);

    public static Error Unavailable(string message, TimeSpan retryAfter) =>
        new(ErrorKind.Unavailable, message, RetryAfter: retryAfter);

    public static Error NotFound(string message) => new(ErrorKind.NotFound, message);

    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, message);
}
