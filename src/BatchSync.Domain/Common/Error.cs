namespace BatchSync.Domain.Common;

/// <summary>What kind of expected failure an <see cref="Error"/> is; the Api maps each to one status code.</summary>
public enum ErrorKind
{
    Validation,
    Forbidden,
    NotFound,
    Conflict,
    TooLarge,
}

/// <summary>An expected failure: a rule said no. Field errors are keyed by the wire path (<c>records[3].latitude</c>).</summary>
public sealed record Error(ErrorKind Kind, string Message, IReadOnlyDictionary<string, string[]>? Fields = null)
{
    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "Validation failed", fields);

    public static Error NotFound(string message) => new(ErrorKind.NotFound, message);

    public static Error Forbidden(string message) => new(ErrorKind.Forbidden, message);
}
