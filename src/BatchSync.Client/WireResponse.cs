using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace BatchSync.Client;

/// <summary>Reads the server's answers: a success as its typed body, the contract's error envelope as a <see cref="BatchSyncException"/>.</summary>
internal static class WireResponse
{
    /// <summary>The answer's body as <typeparamref name="T"/>; throws <see cref="BatchSyncException"/> for an error or a body that is not one.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var body = await ReadAsync(response, cancellationToken);
        try
        {
            return body.Deserialize(type) ?? throw Unreadable(response);
        }
        catch (JsonException)
        {
            throw Unreadable(response);
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(text);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new BatchSyncException((int)response.StatusCode, $"The server answered {(int)response.StatusCode} without JSON", null, (int)response.StatusCode >= 500);
        }

        if (response.IsSuccessStatusCode)
        {
            return body;
        }

        var message = body.TryGetProperty("message", out var m) ? m.GetString() ?? "" : response.ReasonPhrase ?? "";
        var errors = body.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object
            ? e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetString() ?? "").ToArray())
            : null;
        var retryable = body.TryGetProperty("retryable", out var r) ? r.GetBoolean() : (int)response.StatusCode >= 500;
        throw new BatchSyncException((int)response.StatusCode, message, errors, retryable);
    }

    private static BatchSyncException Unreadable(HttpResponseMessage response) =>
        new((int)response.StatusCode, $"The server answered {(int)response.StatusCode} with JSON this client cannot read", null, retryable: false);
}

/// <summary>The wire's JSON: snake_case names, as the server writes them.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SyncSession))]
[JsonSerializable(typeof(AdminEnvelope<RecordPage>), TypeInfoPropertyName = "RecordPageEnvelope")]
[JsonSerializable(typeof(ServerHealth))]
[JsonSerializable(typeof(PartAnswer))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
