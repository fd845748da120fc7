using System.Security.Cryptography;
using System.Text;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Auth;

/// <summary>
/// Checks a bearer token against the configured hashes. Every hash is compared, in constant time, so
/// the time taken tells nothing of which token came close.
/// </summary>
internal sealed class ConfiguredTokenAuthenticator : ITokenAuthenticator
{
    private readonly (byte[] Hash, Caller Caller)[] _tokens;

    public ConfiguredTokenAuthenticator(IOptions<AuthOptions> options)
    {
        _tokens = [.. options.Value.Tokens.Select(t => (Convert.FromHexString(t.Sha256), ToCaller(t)))];
    }

    public Caller? Authenticate(string token)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        Caller? found = null;
        foreach (var (expected, caller) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(expected, hash))
            {
                found = caller;
            }
        }

        return found;
    }

    private static Caller ToCaller(TokenOptions token) => new(
        token.Name,
        token.Role == "admin" ? CallerRole.Admin : CallerRole.Device,
        token.Devices.Contains("*") ? null : token.Devices.ToHashSet(StringComparer.Ordinal));
}
