using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Domain.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Auth;

/// <summary>
/// Who holds a bearer token: the configured tokens first (every hash compared, in constant time), then
/// the database's, looked up by hash on every request, so a token revoked from the command line stops
/// working with the next request, on every instance. The last use is recorded at most once a minute
/// per token, without making the request wait.
/// </summary>
internal sealed class TokenAuthenticator : ITokenAuthenticator
{
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private readonly (byte[] Hash, Caller Caller)[] _configured;
    private readonly IServiceScopeFactory _scopes;
    private readonly ITokenUsage _usage;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, DateTime> _touched = new();

    public TokenAuthenticator(IOptions<AuthOptions> options, IServiceScopeFactory scopes, ITokenUsage usage, TimeProvider time)
    {
        _configured = [.. options.Value.Tokens.Select(t => (Convert.FromHexString(t.Sha256), ToCaller(t)))];
        Configured = [.. _configured.Select(c => c.Caller)];
        _scopes = scopes;
        _usage = usage;
        _time = time;
    }

    public IReadOnlyList<Caller> Configured { get; }

    public async ValueTask<Caller?> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        Caller? found = null;
        foreach (var (expected, caller) in _configured)
        {
            if (CryptographicOperations.FixedTimeEquals(expected, hash))
            {
                found = caller;
            }
        }

        return found ?? await FromDatabaseAsync(hash, cancellationToken);
    }

    private async Task<Caller?> FromDatabaseAsync(byte[] hash, CancellationToken cancellationToken)
    {
        var hex = Convert.ToHexStringLower(hash);
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IBatchSyncDbContext>();
        var row = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Sha256 == hex && t.RevokedAt == null)
            .Select(t => new { t.Id, t.Name, t.Role, t.Devices, t.Sha256 })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.Sha256), Encoding.ASCII.GetBytes(hex)))
        {
            return null;
        }

        Touch(row.Id);
        return new Caller(
            row.Name,
            row.Role == TokenRole.Admin ? CallerRole.Admin : CallerRole.Device,
            row.Devices.Contains("*") ? null : row.Devices.ToHashSet(StringComparer.Ordinal));
    }

    private void Touch(long id)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_touched.TryGetValue(id, out var last) && now - last < TouchEvery)
        {
            return;
        }

        _touched[id] = now;
        _usage.RecordUse(id, now);
    }

    private static Caller ToCaller(TokenOptions token) => new(
        token.Name,
        token.Role == "admin" ? CallerRole.Admin : CallerRole.Device,
        token.Devices.Contains("*") ? null : token.Devices.ToHashSet(StringComparer.Ordinal));
}
