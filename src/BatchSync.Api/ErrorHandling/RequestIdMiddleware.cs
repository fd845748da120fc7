namespace BatchSync.Api.ErrorHandling;

/// <summary>
/// Gives each request an id, sent back as <c>X-Request-Id</c> and as <c>request_id</c> in every body.
/// A caller's own id is kept when it is short and plain; anything else is replaced.
/// </summary>
internal sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext http)
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
        return next(http);
    }

    private static bool IsPlain(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
