using BatchSync.Api.ErrorHandling;

namespace BatchSync.Api.OpenApi;

internal static class OpenApiExtensions
{
    /// <summary>Documents error statuses, all in the one envelope.</summary>
    public static RouteHandlerBuilder ProducesErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<ErrorResponseBody>(status);
        }

        return builder;
    }
}
