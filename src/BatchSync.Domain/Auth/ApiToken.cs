namespace BatchSync.Domain.Auth;

public enum TokenRole
{
    Device,
    Admin,
}

/// <summary>
/// A bearer token issued from the database. Only the SHA-256 of its value is kept: the value is shown
/// once, when it is created. A revoked token stays listed, and never works again.
/// </summary>
public sealed class ApiToken
{
    private ApiToken(string name, TokenRole role, IReadOnlyList<string> devices, string sha256, DateTime createdAt)
    {
        Name = name;
        Role = role;
        Devices = devices;
        Sha256 = sha256;
        CreatedAt = createdAt;
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    public TokenRole Role { get; private set; }

    /// <summary>Device ids the token may write and read; <c>*</c> alone means every device.</summary>
    public IReadOnlyList<string> Devices { get; private set; }

    /// <summary>Lowercase hex SHA-256 of the token's value.</summary>
    public string Sha256 { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime? LastUsedAt { get; private set; }

    public DateTime? RevokedAt { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public static ApiToken Issue(string name, TokenRole role, IReadOnlyList<string> devices, string sha256, DateTime now) =>
        new(name, role, devices, sha256, now);

    /// <returns>False when it was already revoked (the first revocation time stays).</returns>
    public bool Revoke(DateTime now)
    {
        if (IsRevoked)
        {
            return false;
        }

        RevokedAt = now;
        return true;
    }
}
