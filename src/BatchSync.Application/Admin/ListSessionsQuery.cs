using BatchSync.Application.Abstractions;
using BatchSync.Application.Behaviors;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Admin;

/// <summary>Sessions, newest activity first, filtered by status, device, user and when they started.</summary>
public sealed record ListSessionsQuery(
    string? Status,
    string? DeviceId,
    string? UserName,
    DateTime? From,
    DateTime? To,
    int PageNumber = 1,
    int PageSize = 50,
    string? Cursor = null) : IQuery<Result<Page<SessionSummaryDto>>>, IValidated;

internal sealed class ListSessionsQueryValidator : AbstractValidator<ListSessionsQuery>
{
    public ListSessionsQueryValidator()
    {
        RuleFor(q => q.Status)
            .Must(s => s is null || Enum.TryParse<SyncStatus>(s, ignoreCase: true, out _))
            .WithMessage("must be open, completed, expired or aborted")
            .OverridePropertyName("status");
        RuleFor(q => q.PageNumber).GreaterThanOrEqualTo(1).WithMessage("must be at least 1").OverridePropertyName("page");
        RuleFor(q => q.PageSize).InclusiveBetween(1, 500).WithMessage("must be between 1 and 500").OverridePropertyName("limit");
        RuleFor(q => q.Cursor).Must(c => Cursor.IsValid(c, 2) && (c is null || long.TryParse(Cursor.Decode(c, 2)![0], out _)))
            .WithMessage("is not a cursor this server gave").OverridePropertyName("cursor");
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.From <= q.To)
            .WithMessage("must not be after to").OverridePropertyName("from");
    }
}

internal sealed class ListSessionsQueryHandler(IBatchSyncDbContext db)
    : IQueryHandler<ListSessionsQuery, Result<Page<SessionSummaryDto>>>
{
    public async ValueTask<Result<Page<SessionSummaryDto>>> Handle(ListSessionsQuery query, CancellationToken cancellationToken)
    {
        var sessions = db.SyncSessions.AsNoTracking();
        if (query.Status is { } text)
        {
            var status = Enum.Parse<SyncStatus>(text, ignoreCase: true);
            sessions = sessions.Where(s => s.Status == status);
        }

        if (query.DeviceId is { } device)
        {
            sessions = sessions.Where(s => s.DeviceId == device);
        }

        if (query.UserName is { } user)
        {
            sessions = sessions.Where(s => s.UserName == user);
        }

        if (query.From is { } from)
        {
            sessions = sessions.Where(s => s.CreatedAt >= from);
        }

        if (query.To is { } to)
        {
            sessions = sessions.Where(s => s.CreatedAt < to);
        }

        var total = await sessions.CountAsync(cancellationToken);
        var ordered = sessions.OrderByDescending(s => s.UpdatedAt).ThenBy(s => s.SyncId);
        IQueryable<SyncSession> window;
        if (Cursor.Decode(query.Cursor, 2) is [var ms, var syncId])
        {
            var at = DateTime.UnixEpoch.AddMilliseconds(long.Parse(ms, System.Globalization.CultureInfo.InvariantCulture));
#pragma warning disable CA1309 // EF Core translates only the two-argument Compare, to the database's comparison of the column
            window = ordered.Where(s => s.UpdatedAt < at || (s.UpdatedAt == at && string.Compare(s.SyncId, syncId) > 0));
#pragma warning restore CA1309
        }
        else
        {
            window = ordered.Skip((query.PageNumber - 1) * query.PageSize);
        }

        var page = await window
            .Take(query.PageSize + 1)
            .Select(s => new { Session = s, Parts = s.Parts.Count })
            .ToListAsync(cancellationToken);
        var more = page.Count > query.PageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        // Parts are counted in SQL, not loaded: a page of 500 sessions need not read 25,000 part rows.
        var items = page.ConvertAll(p => p.Session.ToSummary() with { ReceivedParts = p.Parts });
        var next = more
            ? Cursor.Encode(new DateTimeOffset(items[^1].UpdatedAt, TimeSpan.Zero).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), items[^1].SyncId)
            : null;
        return new Page<SessionSummaryDto>(items, query.Cursor is null ? query.PageNumber : null, query.PageSize, total, next);
    }
}
