using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace BatchSync.Api.OpenApi;

/// <summary>Puts an endpoint's <see cref="ExamplesMetadata"/> into its request and responses.</summary>
internal sealed class ExamplesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var examples = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ExamplesMetadata>().FirstOrDefault();
        if (examples is null)
        {
            return;
        }

        if (examples.Request is not null && operation.RequestBody?.Content is { } request &&
            request.TryGetValue("application/json", out var requestMedia) && requestMedia is OpenApiMediaType requestExample)
        {
            requestExample.Example = JsonNode.Parse(examples.Request);
        }

        if (operation.Responses is null)
        {
            return;
        }

        foreach (var (status, json) in examples.Responses)
        {
            if (operation.Responses.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) &&
                response.Content is { } content)
            {
                foreach (var media in content.Values.OfType<OpenApiMediaType>())
                {
                    media.Example = JsonNode.Parse(json);
                }
            }
        }
    }
}
