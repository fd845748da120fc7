using System.Security.Cryptography;
using System.Text;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Behaviors;
using BatchSync.Application.Common;
using BatchSync.Domain.Auth;
using BatchSync.Domain.Common;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

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

/// <summary>
/// Issues a database token; the value is returned here once and never stored. An admin token with no
/// devices named gets <c>*</c> (admins see every device). The name of a revoked token may be given
/// again: the new token replaces the revoked one.
/// </summary>
public sealed record CreateTokenCommand(string Name, string Role, IReadOnlyList<string> Devices)
    : ICommand<Result<CreatedToken>>, IValidated;

public sealed record CreatedToken(TokenDto Token, string Value);

public sealed record ListTokensQuery : IQuery<IReadOnlyList<TokenDto>>;

/// <summary>Revokes a database token by name; it stops working with the next request.</summary>
public sealed record RevokeTokenCommand(string Name) : ICommand<Result<TokenDto>>;

internal sealed class CreateTokenCommandValidator : AbstractValidator<CreateTokenCommand>
{
    public CreateTokenCommandValidator()
    {
        RuleFor(c => c.Name)
            .Must(n => n is { Length: >= 1 and <= 64 } && n.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.'))
            .WithMessage("must be 1-64 characters of A-Z a-z 0-9 _ - .")
            .OverridePropertyName("name");
        RuleFor(c => c.Role)
            .Must(r => r is "device" or "admin").WithMessage("must be device or admin")
            .OverridePropertyName("role");
        RuleFor(c => c.Devices)
            .Must((c, d) => d.Count > 0 || c.Role == "admin").WithMessage("must name at least one device id, or *")
            .Must(d => !d.Contains("*") || d.Count == 1).WithMessage("* stands alone: it already means every device")
            .Must(d => d.All(id => id == "*" || Identifiers.IsValid(id))).WithMessage("must be device ids (A-Z a-z 0-9 _ . : @ -) or *")
            .OverridePropertyName("devices");
    }
}

internal sealed class TokenCommandHandlers(IBatchSyncDbContext db, ITokenAuthenticator authenticator, TimeProvider time)
    : ICommandHandler<CreateTokenCommand, Result<CreatedToken>>,
      IQueryHandler<ListTokensQuery, IReadOnlyList<TokenDto>>,
      ICommandHandler<RevokeTokenCommand, Result<TokenDto>>
{
    private const string Prefix = "bst_";

    public async ValueTask<Result<CreatedToken>> Handle(CreateTokenCommand command, CancellationToken cancellationToken)
    {
        var existing = await db.ApiTokens.FirstOrDefaultAsync(t => t.Name == command.Name, cancellationToken);
        if (authenticator.Configured.Any(c => c.TokenName == command.Name) || existing is { IsRevoked: false })
        {
            return new Error(ErrorKind.Conflict, $"A token named {command.Name} exists already",
                new Dictionary<string, string[]> { ["name"] = ["is taken (revoke it first to issue a new one under this name)"] });
        }

        if (existing is not null)
        {
            // A revoked token never works again; its name is free. The audit keeps what it did.
            db.ApiTokens.Remove(existing);
            await db.SaveChangesAsync(cancellationToken);
        }

        // 256 random bits, URL-safe: nothing to guess, nothing to escape in a header or a shell.
        var value = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = ApiToken.Issue(
            command.Name,
            command.Role == "admin" ? TokenRole.Admin : TokenRole.Device,
            command.Devices.Count == 0 ? ["*"] : [.. command.Devices],
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value))),
            time.GetUtcNow().UtcDateTime);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedToken(ToDto(token), value);
    }

    public async ValueTask<IReadOnlyList<TokenDto>> Handle(ListTokensQuery query, CancellationToken cancellationToken)
    {
        var stored = await db.ApiTokens.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken);
        return
        [
            .. authenticator.Configured.OrderBy(c => c.TokenName, StringComparer.Ordinal)
                .Select(c => new TokenDto(
                    c.TokenName,
                    c.Role == CallerRole.Admin ? "admin" : "device",
                    c.Devices is null ? ["*"] : [.. c.Devices.Order(StringComparer.Ordinal)],
                    "configuration",
                    null,
                    null,
                    null)),
            .. stored.Select(ToDto),
        ];
    }

    public async ValueTask<Result<TokenDto>> Handle(RevokeTokenCommand command, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Name == command.Name, cancellationToken);
        if (token is null)
        {
            return authenticator.Configured.Any(c => c.TokenName == command.Name)
                ? new Error(ErrorKind.Conflict, $"Token {command.Name} is configured, not issued: remove it from the configuration")
                : Error.NotFound($"No token named {command.Name}");
        }

        if (token.Revoke(time.GetUtcNow().UtcDateTime))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return ToDto(token);
    }

    private static TokenDto ToDto(ApiToken t) => new(
        t.Name, t.Role == TokenRole.Admin ? "admin" : "device", t.Devices, "database", t.CreatedAt, t.LastUsedAt, t.RevokedAt);
}
