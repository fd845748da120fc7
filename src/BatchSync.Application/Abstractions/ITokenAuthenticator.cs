using BatchSync.Application.Common;

namespace BatchSync.Application.Abstractions;

/// <summary>Tells who holds a bearer token, or null for a token nobody issued (or one revoked).</summary>
public interface ITokenAuthenticator
{
    ValueTask<Caller?> AuthenticateAsync(string token, CancellationToken cancellationToken);

    /// <summary>The tokens issued by configuration rather than the database (who they are, not their values).</summary>
    IReadOnlyList<Caller> Configured { get; }
}
