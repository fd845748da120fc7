using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Infrastructure.Persistence;
using BatchSync.Infrastructure.Persistence.Writing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Auth;

/// <summary>
/// Who holds a bearer token: the configured tokens first (every hash compared, in constant time), then
/// the database's, looked up by hash on every request, so a token revoked from the command line stops
/// working with the next request. <c>last_used_at</c> is written at most once a minute per token,
/// through the writer, without making the request wait.
/// </summary>
internal sealed class TokenAuthenticator : ITokenAuthenticator
{
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private readonly (byte[] Hash, Caller Caller)[] _configured;
    private readonly SqliteDatabase _database;
    private readonly SyncWriteQueue _writer;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, DateTime> _touched = new();

    public TokenAuthenticator(IOptions<AuthOptions> options, SqliteDatabase database, SyncWriteQueue writer, TimeProvider time)
    {
        _configured = [.. options.Value.Tokens.Select(t => (Convert.FromHexString(t.Sha256), ToCaller(t)))];
        Configured = [.. _configured.Select(c => c.Caller)];
        _database = database;
        _writer = writer;
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
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT id, name, role, devices, sha256 FROM api_tokens WHERE sha256 = $hash AND revoked_at IS NULL";
        select.Parameters.AddWithValue("$hash", hex);
        await using var row = await select.ExecuteReaderAsync(cancellationToken);
        if (!await row.ReadAsync(cancellationToken) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.GetString(4)), Encoding.ASCII.GetBytes(hex)))
        {
            return null;
        }

        var id = row.GetInt64(0);
        var devices = JsonSerializer.Deserialize(row.GetString(3), PersistenceJsonContext.Default.IReadOnlyListString) ?? [];
        Touch(id);
        return new Caller(
            row.GetString(1),
            row.GetString(2) == "Admin" ? CallerRole.Admin : CallerRole.Device,
            devices.Contains("*") ? null : devices.ToHashSet(StringComparer.Ordinal));
    }

    private void Touch(long id)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_touched.TryGetValue(id, out var last) && now - last < TouchEvery)
        {
            return;
        }

        _touched[id] = now;
        _ = _writer.Enqueue(store => store.TouchToken(id, now), CancellationToken.None)
            .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    private static Caller ToCaller(TokenOptions token) => new(
        token.Name,
        token.Role == "admin" ? CallerRole.Admin : CallerRole.Device,
        token.Devices.Contains("*") ? null : token.Devices.ToHashSet(StringComparer.Ordinal));
}
