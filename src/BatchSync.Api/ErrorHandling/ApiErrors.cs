using BatchSync.Domain.Common;

namespace BatchSync.Api.ErrorHandling;

/// <summary>Every error leaves the server here: one envelope, one status code per kind of error.</summary>
internal static class ApiErrors
{
    public static IResult From(HttpContext http, Error error)
    {
        if (error.RetryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Map(http, error);
    }

    private static IResult Map(HttpContext http, Error error) => error.Kind switch
    {
        ErrorKind.Validation => Envelope(http, StatusCodes.Status400BadRequest, error.Message, error.Fields),
        ErrorKind.Forbidden => Envelope(http, StatusCodes.Status403Forbidden, error.Message, error.Fields),
        ErrorKind.NotFound => Envelope(http, StatusCodes.Status404NotFound, error.Message, error.Fields),
        ErrorKind.Conflict => Envelope(http, StatusCodes.Status409Conflict, error.Message, error.Fields),
        ErrorKind.TooLarge => Envelope(http, StatusCodes.Status413PayloadTooLarge, error.Message, error.Fields),
        ErrorKind.TooManyRequests => Envelope(http, StatusCodes.Status429TooManyRequests, error.Message, error.Fields),
        ErrorKind.Unavailable => Envelope(http, StatusCodes.Status503ServiceUnavailable, error.Message, error.Fields),
        ErrorKind.InsufficientStorage => Envelope(http, StatusCodes.Status507InsufficientStorage, error.Message, error.Fields),
        _ => Envelope(http, StatusCodes.Status500InternalServerError, "Internal server error", null),
    };

    public static IResult Envelope(
        HttpContext http,
        int status,
        string message,
        IReadOnlyDictionary<string, string[]>? fields = null) =>
        Results.Json(Body(http, status, message, fields), WireJsonContext.Default.ErrorResponseBody, statusCode: status);

    public static Task WriteAsync(HttpContext http, int status, string message, IReadOnlyDictionary<string, string[]>? fields = null)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(Body(http, status, message, fields), WireJsonContext.Default.ErrorResponseBody);
    }

    /// <summary>Whether the same request later can succeed: overload and storage faults pass, bad requests do not.</summary>
    public static bool IsRetryable(int status) => status is 408 or 429 or >= 500;

    private static ErrorResponseBody Body(HttpContext http, int status, string message, IReadOnlyDictionary<string, string[]>? fields)
    {
        Audit.AuditMiddleware.NoteReason(http, message, fields);
        return new("error", message, fields, IsRetryable(status), http.TraceIdentifier);
    }
}
