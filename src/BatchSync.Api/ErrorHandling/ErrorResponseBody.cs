namespace BatchSync.Api.ErrorHandling;

/// <summary>The one error envelope: <c>message</c> for people (the seed's client shows it), <c>errors</c> by field.</summary>
public sealed record ErrorResponseBody(
    string Status,
    string Message,
    IReadOnlyDictionary<string, string[]>? Errors,
    bool Retryable,
    string RequestId);
