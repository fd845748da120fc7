namespace BatchSync.Api.Endpoints;

/// <summary>The success envelope of the admin API: what was asked for under <c>data</c>.</summary>
public sealed record AdminResponse<T>(string Status, T Data, string RequestId);
