using BatchSync.Domain.Auth;

namespace BatchSync.Application.Tokens;

/// <summary>A token as listed: never its value. <see cref="Source"/> is <c>database</c> or <c>configuration</c>.</summary>
public sealed record TokenDto(
    string Name,
    string Role,
    IReadOnlyList<string> Devices,
    string Source,
    DateTime? CreatedAt,
    DateTime? LastUsedAt,
    DateTime? RevokedAt);

internal static class TokenDtos
{
    public static TokenDto ToDto(this ApiToken t) => new(
        t.Name, t.Role == TokenRole.Admin ? "admin" : "device", t.Devices, "database", t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}
