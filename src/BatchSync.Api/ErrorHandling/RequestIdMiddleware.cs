using System.Diagnostics;
using BatchSync.Application.Diagnostics;

namespace BatchSync.Api.ErrorHandling;

/// <summary>
/// Gives each request an id, sent back as <c>X-Request-Id</c> and as <c>request_id</c> in every body.
/// A caller's own id is kept when it is short and plain; anything else is replaced. The id is on the
/// request's span and on every log line the request writes (a logging scope).
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext http)
    {
        var incoming = http.Request.Headers[Header].ToString();
        http.TraceIdentifier = IsPlain(incoming) ? incoming : Random.Shared.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        // Set as the answer starts, so that an error page that cleared the headers still carries it.
        http.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            context.Response.Headers[Header] = context.TraceIdentifier;
            return Task.CompletedTask;
        }, http);
        Activity.Current?.SetTag(BatchSyncTracing.RequestIdTag, http.TraceIdentifier);
        using (logger.BeginScope("request_id={RequestId}", http.TraceIdentifier))
        {
            await next(http);
        }
    }

    private static bool IsPlain(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
