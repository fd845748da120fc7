using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Tokens;

public sealed record ListTokensQuery : IQuery<IReadOnlyList<TokenDto>>;

internal sealed class ListTokensQueryHandler(IBatchSyncDbContext db, ITokenAuthenticator authenticator)
    : IQueryHandler<ListTokensQuery, IReadOnlyList<TokenDto>>
{
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
            .. stored.Select(TokenDtos.ToDto),
        ];
    }
}
