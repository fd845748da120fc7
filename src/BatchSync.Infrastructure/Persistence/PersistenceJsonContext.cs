using System.Text.Json.Serialization;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CompletionSummary))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, int>>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class PersistenceJsonContext : JsonSerializerContext;
