namespace BatchSync.Api.Endpoints;

public sealed record HealthResponseBody(string Status, IReadOnlyDictionary<string, string> Checks);
