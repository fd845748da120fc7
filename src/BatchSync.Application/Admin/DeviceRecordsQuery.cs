using System.Text.Json;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Behaviors;
using BatchSync.Domain.Common;
using BatchSync.Domain.Logs;
using BatchSync.Domain.Sync;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Admin;

/// <summary>A stored record: where it sits in its device's log, and the record itself as sent.</summary>
public sealed record RecordDto(long Timestamp, DateOnly LogDate, string SyncId, string UserName, JsonElement Record);

/// <summary>
/// <see cref="NextCursor"/> continues after the last item; null when there is nothing more. <see cref="Type"/>
/// says which records these are (location when the caller named none).
/// </summary>
public sealed record RecordPage(IReadOnlyList<RecordDto> Items, string? NextCursor, string Type);

/// <summary>
/// A device's records of one type in timestamp order, from/to in Unix milliseconds, keyset-paged: the
/// cursor is the last (timestamp, row) seen, so a page is as fast at the end of a year as at its start.
/// </summary>
public sealed record DeviceRecordsQuery(string DeviceId, string Type, long? From, long? To, string? After, int Limit = 500)
    : IQuery<Result<RecordPage>>, IValidated;

internal sealed class DeviceRecordsQueryValidator : AbstractValidator<DeviceRecordsQuery>
{
    public DeviceRecordsQueryValidator()
    {
        RuleFor(q => q.Type).Must(t => RecordTypes.TryParse(t, out _)).WithMessage("must be " + RecordTypes.Names).OverridePropertyName("type");
        RuleFor(q => q.Limit).InclusiveBetween(1, 5000).WithMessage("must be between 1 and 5000").OverridePropertyName("limit");
        RuleFor(q => q.After).Must(a => RecordCursor.TryDecode(a, out _, out _)).WithMessage("is not a cursor this server gave").OverridePropertyName("after");
        RuleFor(q => q).Must(q => q.From is null || q.To is null || q.From <= q.To).WithMessage("must not be after to").OverridePropertyName("from");
    }
}

internal sealed class DeviceRecordsQueryHandler(IBatchSyncDbContext db) : IQueryHandler<DeviceRecordsQuery, Result<RecordPage>>
{
    public async ValueTask<Result<RecordPage>> Handle(DeviceRecordsQuery query, CancellationToken cancellationToken)
    {
        RecordCursor.TryDecode(query.After, out var afterTimestamp, out var afterId);
        var rows = RecordTypes.TryParse(query.Type, out var type) && type == RecordType.Location
            ? await Page(db.LocationLogs, query, afterTimestamp, afterId, cancellationToken)
            : await Page(db.DrivingLogs, query, afterTimestamp, afterId, cancellationToken);
        var more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        var items = rows.ConvertAll(r => new RecordDto(r.Timestamp, r.LogDate, r.SyncId, r.UserName, JsonDocument.Parse(r.Data).RootElement.Clone()));
        return new RecordPage(items, more ? RecordCursor.Encode(rows[^1].Timestamp, rows[^1].Id) : null, query.Type);
    }

    private static async Task<List<LogEntry>> Page<T>(
        IQueryable<T> table, DeviceRecordsQuery query, long afterTimestamp, long afterId, CancellationToken cancellationToken)
        where T : LogEntry
    {
        var rows = table.AsNoTracking().Where(r => r.DeviceId == query.DeviceId);
        if (query.From is { } from)
        {
            rows = rows.Where(r => r.Timestamp >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(r => r.Timestamp < to);
        }

        if (query.After is not null)
        {
            rows = rows.Where(r => r.Timestamp > afterTimestamp || (r.Timestamp == afterTimestamp && r.Id > afterId));
        }

        var page = await rows.OrderBy(r => r.Timestamp).ThenBy(r => r.Id).Take(query.Limit + 1).ToListAsync(cancellationToken);
        return [.. page];
    }
}
