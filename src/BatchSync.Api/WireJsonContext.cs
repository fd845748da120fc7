using System.Text.Json.Serialization;
using BatchSync.Api.Endpoints;
using BatchSync.Api.ErrorHandling;

namespace BatchSync.Api;

/// <summary>Every body the server reads or writes, in the wire's JSON: snake_case, nulls left out, instants in UTC.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcInstantJsonConverter)])]
[JsonSerializable(typeof(UploadPartResponseBody))]
[JsonSerializable(typeof(ErrorResponseBody))]
[JsonSerializable(typeof(SyncSessionResponseBody))]
[JsonSerializable(typeof(UploadPartRequestBody))]
[JsonSerializable(typeof(HealthResponseBody))]
public sealed partial class WireJsonContext : JsonSerializerContext;
