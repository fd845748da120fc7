using BatchSync.Application.Abstractions;
using Microsoft.AspNetCore.Diagnostics;

namespace BatchSync.Api.ErrorHandling;

/// <summary>
/// The last net: an exception becomes the envelope with a status, never a stack trace or an HTML page.
/// A bad request that the server only noticed while reading it keeps its 4xx.
/// </summary>
internal sealed class GlobalExceptionHandler(ILogger<GlobalExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is BadHttpRequestException bad)
        {
            var message = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request";
            await ApiErrors.WriteAsync(http, bad.StatusCode, message);
            return true;
        }

        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nobody reads this answer.
            return true;
        }

        if (exception is StorageUnavailableException or System.Data.Common.DbException { IsTransient: true })
        {
            logger.LogWarning("Request {RequestId} not answered: the database cannot be reached ({Reason})", http.TraceIdentifier, exception.Message);
            http.Response.Headers.RetryAfter = "5";
            await ApiErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "The database cannot be reached; send the request again later");
            return true;
        }

        logger.LogError(exception, "Request {RequestId} failed", http.TraceIdentifier);
        await ApiErrors.WriteAsync(http, StatusCodes.Status500InternalServerError, "Internal server error; the request may be retried");
        return true;
    }
}
