using BatchSync.Api.Auth;
using Microsoft.OpenApi;

namespace BatchSync.Api.OpenApi;

internal static class SwaggerSetup
{
    public static IServiceCollection AddSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "BatchSync",
                Version = "v1",
                Description =
                    "Upload offline-collected location and driving records in numbered parts; the server merges each " +
                    "completed sync into dated log tables and files, every record exactly once. Every error comes in " +
                    "one envelope: `status`, `message`, `errors` by field, `retryable`, `request_id`.",
            });
            options.AddSecurityDefinition(BearerTokenHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A device token (uploads, own sessions) or an admin token.",
            });
            options.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerTokenHandler.SchemeName, document)] = [],
            });
            options.OperationFilter<ExamplesOperationFilter>();
        });
        return services;
    }
}
