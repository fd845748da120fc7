using System.Text.Json;
using BatchSync.Api.Auth;
using BatchSync.Api.ErrorHandling;
using BatchSync.Api.OpenApi;
using BatchSync.Application.Behaviors;
using Microsoft.AspNetCore.Authentication;

namespace BatchSync.Api;

public static class DependencyInjection
{
    public static IServiceCollection AddApi(this IServiceCollection services)
    {
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(BatchSync.Application.DependencyInjection)];
            options.PipelineBehaviors = [typeof(TracingBehavior<,>), typeof(ValidationBehavior<,>)];
        });

        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Device, p => p.RequireAuthenticatedUser().RequireRole(Roles.Device, Roles.Admin))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        services.AddTokenRateLimiting();

        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJsonContext.Default);
            o.SerializerOptions.Converters.Add(new UtcInstantJsonConverter());
        });
        services.AddRequestDecompression();
        services.AddExceptionHandler<GlobalExceptionHandler>();
        services.AddProblemDetails();
        services.AddSwagger();
        return services;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<Audit.AuditMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages(context =>
        {
            var http = context.HttpContext;
            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => "No such endpoint",
                StatusCodes.Status405MethodNotAllowed => "Method not allowed on this endpoint",
                _ => "Request refused",
            };
            return ApiErrors.WriteAsync(http, http.Response.StatusCode, message);
        });
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "swagger";
            o.SwaggerEndpoint("/swagger/v1/swagger.json", "BatchSync v1");
            o.DocumentTitle = "BatchSync API";
        });
        // Bodies may come gzip, br or deflate; RFC 9530 digests are checked against the bytes as sent.
        app.Use(Endpoints.EncodedBodyDigest.Middleware);
        app.UseRequestDecompression();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
