using BatchSync.Application.Abstractions;
using BatchSync.Application.Behaviors;
using BatchSync.Domain.Audit;
using BatchSync.Domain.Common;
using FluentValidation;
using Mapster;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Admin;

public sealed record AuditEventDto(
    long Id,
    DateTime At,
    string Outcome,
    int Status,
    string? RequestId,
    string? TokenName,
    string? RemoteAddress,
    string? Method,
    string? Path,
    string? DeviceId,
    string? UserName,
    string? SyncId,
    int? PartNumber,
    string? Reason);

/// <param name="NextCursor">Pass as <c>cursor</c> for the next (older) page; null when there is nothing more.</param>
/// <param name="NextBefore">The same as an event id, for callers that still page with <c>before</c>.</param>
public sealed record AuditPage(IReadOnlyList<AuditEventDto> Items, string? NextCursor, long? NextBefore);

/// <summary>Audit events, newest first, keyset-paged by id.</summary>
public sealed record AuditEventsQuery(
    string? Outcome,
    int? Status,
    string? DeviceId,
    string? TokenName,
    string? SyncId,
    DateTime? From,
    DateTime? To,
    long? Before,
    int Limit = 100,
    string? Cursor = null) : IQuery<Result<AuditPage>>, IValidated;

internal sealed class AuditEventsQueryValidator : AbstractValidator<AuditEventsQuery>
{
    private static readonly string[] Outcomes =
    [
        AuditOutcomes.Stored, AuditOutcomes.Duplicate, AuditOutcomes.Completed, AuditOutcomes.Rejected,
        AuditOutcomes.Conflict, AuditOutcomes.Refused, AuditOutcomes.Expired, AuditOutcomes.Aborted,
    ];

    public AuditEventsQueryValidator()
    {
        RuleFor(q => q.Outcome).Must(o => o is null || Outcomes.Contains(o))
            .WithMessage($"must be one of {string.Join(", ", Outcomes)}").OverridePropertyName("outcome");
        RuleFor(q => q.Cursor).Must(c => Cursor.IsValid(c, 1) && (c is null || long.TryParse(Cursor.Decode(c, 1)![0], out _)))
            .WithMessage("is not a cursor this server gave").OverridePropertyName("cursor");
        RuleFor(q => q.Limit).InclusiveBetween(1, 1000).WithMessage("must be between 1 and 1000").OverridePropertyName("limit");
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.From <= q.To).WithMessage("must not be after to").OverridePropertyName("from");
    }
}

internal sealed class AuditEventsQueryHandler(IBatchSyncDbContext db) : IQueryHandler<AuditEventsQuery, Result<AuditPage>>
{
    public async ValueTask<Result<AuditPage>> Handle(AuditEventsQuery query, CancellationToken cancellationToken)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (query.Outcome is { } outcome)
        {
            events = events.Where(e => e.Outcome == outcome);
        }

        if (query.Status is { } status)
        {
            events = events.Where(e => e.Status == status);
        }

        if (query.DeviceId is { } device)
        {
            events = events.Where(e => e.DeviceId == device);
        }

        if (query.TokenName is { } token)
        {
            events = events.Where(e => e.TokenName == token);
        }

        if (query.SyncId is { } sync)
        {
            events = events.Where(e => e.SyncId == sync);
        }

        if (query.From is { } from)
        {
            events = events.Where(e => e.At >= from);
        }

        if (query.To is { } to)
        {
            events = events.Where(e => e.At < to);
        }

        if ((Cursor.Decode(query.Cursor, 1) is [var id] ? long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) : query.Before) is { } before)
        {
            events = events.Where(e => e.Id < before);
        }

        var page = await events.OrderByDescending(e => e.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        var more = page.Count > query.Limit;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        return new AuditPage(
            page.Adapt<List<AuditEventDto>>(),
            more ? Cursor.Encode(page[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null,
            more ? page[^1].Id : null);
    }
}
