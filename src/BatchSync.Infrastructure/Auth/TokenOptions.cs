namespace BatchSync.Infrastructure.Auth;

/// <summary><c>BatchSync:Auth</c>: the configured tokens, each known only by the SHA-256 of its value.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "BatchSync:Auth";

    public List<TokenOptions> Tokens { get; set; } = [];
}

public sealed class TokenOptions
{
    public string Name { get; set; } = "";

    /// <summary><c>device</c> or <c>admin</c>.</summary>
    public string Role { get; set; } = "device";

    /// <summary>Device ids the token may write and read, or <c>*</c> for all.</summary>
    public List<string> Devices { get; set; } = [];

    /// <summary>Lowercase hex SHA-256 of the token.</summary>
    public string Sha256 { get; set; } = "";
}
