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

/// <summary>
/// Issues a database token; the value is returned here once and never stored. An admin token with no
/// devices named gets <c>*</c> (admins see every device). The name of a revoked token may be given
/// again: the new token replaces the revoked one.
/// </summary>
public sealed record CreateTokenCommand(string Name, string Role, IReadOnlyList<string> Devices)
    : ICommand<Result<CreatedToken>>, IValidated;

public sealed record CreatedToken(TokenDto Token, string Value);

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

internal sealed class CreateTokenCommandHandler(IBatchSyncDbContext db, ITokenAuthenticator authenticator, TimeProvider time)
    : ICommandHandler<CreateTokenCommand, Result<CreatedToken>>
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
        return new CreatedToken(token.ToDto(), value);
    }
}
