using BatchSync.Api.Auth;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BatchSync.Api.OpenApi;

internal static class SwaggerSetup
{
    /// <summary>The groups in the order a new integrator needs them: upload first, health last.</summary>
    private static readonly (string Name, string Description)[] Tags =
    [
        ("Upload", "Send a sync's numbered parts. Start here: Try it out on the example as it is; send it again for the duplicate answer."),
        ("Resume", "Ask which parts of a sync the server holds, after a lost connection."),
        ("Admin", "Sessions, devices, records, daily counts and the audit (admin tokens only)."),
        ("Health", "Liveness and readiness probes; no token needed."),
    ];

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
                    "one envelope: `status`, `message`, `errors` by field, `retryable`, `request_id`.\n\n" +
                    "Press *Authorize* and paste a token (in Development: `dev-device-token` or `dev-admin-token`).",
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
            options.OrderActionsBy(d => $"{TagRank(d.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Http.Metadata.ITagsMetadata>().FirstOrDefault()?.Tags)}{d.RelativePath}");
            options.CustomSchemaIds(SchemaName);
            options.OperationFilter<ExamplesOperationFilter>();
            options.DocumentFilter<TagOrderDocumentFilter>();
            options.SchemaFilter<ChecksumSchemaFilter>();
        });
        return services;
    }

    private static int TagRank(IReadOnlyList<string>? tags)
    {
        var rank = tags is [var tag, ..] ? Array.FindIndex(Tags, t => t.Name == tag) : -1;
        return rank < 0 ? Tags.Length : rank;
    }

    /// <summary>
    /// Readable names for generic types: <c>AdminResponse&lt;IReadOnlyList&lt;DailyCountDto&gt;&gt;</c> is
    /// <c>AdminDailyCountListResponse</c>, <c>Page&lt;DeviceDto&gt;</c> is <c>DevicePage</c>.
    /// </summary>
    internal static string SchemaName(Type type)
    {
        var name = type.Name;
        if (!type.IsGenericType)
        {
            return name.EndsWith("Dto", StringComparison.Ordinal) ? name[..^3] : name;
        }

        var argument = SchemaName(type.GetGenericArguments()[0]);
        var generic = name[..name.IndexOf('`', StringComparison.Ordinal)];
        return generic switch
        {
            "AdminResponse" => $"Admin{argument}Response",
            "Page" => $"{argument}Page",
            "IReadOnlyList" or "List" or "IEnumerable" => $"{argument}List",
            "Dictionary" or "IReadOnlyDictionary" => $"{SchemaName(type.GetGenericArguments()[1])}Map",
            _ => generic + argument,
        };
    }

    private sealed class TagOrderDocumentFilter : IDocumentFilter
    {
        public void Apply(OpenApiDocument document, DocumentFilterContext context) =>
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }

    /// <summary>The checksum is explained in words: an example value would stop matching once Swagger UI re-formats the body.</summary>
    private sealed class ChecksumSchemaFilter : ISchemaFilter
    {
        public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
        {
            if (context.Type == typeof(Endpoints.UploadPartRequestBody) && schema.Properties?.TryGetValue("checksum", out var checksum) == true &&
                checksum is OpenApiSchema property)
            {
                property.Description =
                    "Optional. `sha256:` and the 64 lowercase hex digits of the SHA-256 of the `records` array's bytes exactly " +
                    "as they are in this body (in JavaScript: `sha256(JSON.stringify(records))`). Leave it out when trying calls " +
                    "here: Swagger UI re-formats the body before sending it, which changes those bytes.";
            }
        }
    }
}
