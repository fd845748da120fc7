using BatchSync.Application.Abstractions;
using BatchSync.Application.Behaviors;
using BatchSync.Domain.Common;
using BatchSync.Domain.Logs;
using BatchSync.Domain.Sync;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Admin;

public sealed record DailyCountDto(DateOnly Date, string Type, int Records, int Devices);

/// <summary>Records stored per log date and type, optionally for one device, between two dates.</summary>
public sealed record DailyCountsQuery(string? Type, string? DeviceId, DateOnly? From, DateOnly? To)
    : IQuery<Result<IReadOnlyList<DailyCountDto>>>, IValidated;

internal sealed class DailyCountsQueryValidator : AbstractValidator<DailyCountsQuery>
{
    public DailyCountsQueryValidator()
    {
        RuleFor(q => q.Type).Must(t => t is null || RecordTypes.TryParse(t, out _)).WithMessage("must be " + RecordTypes.Names).OverridePropertyName("type");
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.From <= q.To).WithMessage("must not be after to").OverridePropertyName("from");
    }
}

internal sealed class DailyCountsQueryHandler(IBatchSyncDbContext db) : IQueryHandler<DailyCountsQuery, Result<IReadOnlyList<DailyCountDto>>>
{
    public async ValueTask<Result<IReadOnlyList<DailyCountDto>>> Handle(DailyCountsQuery query, CancellationToken cancellationToken)
    {
        var counts = new List<DailyCountDto>();
        if (Wanted(query, RecordType.Location))
        {
            counts.AddRange(await Count(db.LocationLogs, RecordType.Location.WireName(), query, cancellationToken));
        }

        if (Wanted(query, RecordType.Driving))
        {
            counts.AddRange(await Count(db.DrivingLogs, RecordType.Driving.WireName(), query, cancellationToken));
        }

        return counts.OrderBy(c => c.Date).ThenBy(c => c.Type, StringComparer.Ordinal).ToList();
    }

    private static bool Wanted(DailyCountsQuery query, RecordType type) => query.Type is null || query.Type == type.WireName();

    private static async Task<List<DailyCountDto>> Count<T>(IQueryable<T> table, string type, DailyCountsQuery query, CancellationToken cancellationToken)
        where T : LogEntry
    {
        var rows = table.AsNoTracking();
        if (query.DeviceId is { } device)
        {
            rows = rows.Where(r => r.DeviceId == device);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(r => r.LogDate >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(r => r.LogDate <= to);
        }

        return await rows
            .GroupBy(r => r.LogDate)
            .Select(g => new DailyCountDto(g.Key, type, g.Count(), g.Select(r => r.DeviceId).Distinct().Count()))
            .ToListAsync(cancellationToken);
    }
}
