using BatchSync.Application.Abstractions;
using BatchSync.Domain.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Tokens;

/// <summary>Revokes a database token by name; it stops working with the next request.</summary>
public sealed record RevokeTokenCommand(string Name) : ICommand<Result<TokenDto>>;

internal sealed class RevokeTokenCommandHandler(IBatchSyncDbContext db, ITokenAuthenticator authenticator, TimeProvider time)
    : ICommandHandler<RevokeTokenCommand, Result<TokenDto>>
{
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

        return token.ToDto();
    }
}
