using System.Text.Json;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Behaviors;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Admin;

public sealed record PositionDto(long Timestamp, double Latitude, double Longitude, double? Accuracy)
{
    /// <summary>The position a stored location record holds (its canonical JSON has both coordinates).</summary>
    public static PositionDto Of(long timestamp, string data)
    {
        using var json = JsonDocument.Parse(data);
        var record = json.RootElement;
        return new PositionDto(
            timestamp,
            record.GetProperty("latitude").GetDouble(),
            record.GetProperty("longitude").GetDouble(),
            record.TryGetProperty("accuracy", out var accuracy) && accuracy.ValueKind == JsonValueKind.Number ? accuracy.GetDouble() : null);
    }
}

public sealed record LastSyncDto(string SyncId, string SyncStatus, DateTime UpdatedAt);

/// <summary>A device the server knows, with where it last was and its latest sync (the one last touched; of two touched in the same millisecond, the one begun later).</summary>
public sealed record DeviceDto(string DeviceId, PositionDto? LastPosition, LastSyncDto? LastSync)
{
    /// <summary>Records stored for the device, by type (<c>location</c>, <c>driving</c>).</summary>
    public IReadOnlyDictionary<string, int> RecordCounts { get; init; } = new Dictionary<string, int>();
}

/// <summary>Every device with records or sessions, by id, paged.</summary>
public sealed record ListDevicesQuery(int PageNumber = 1, int PageSize = 100, string? Cursor = null) : IQuery<Result<Page<DeviceDto>>>, IValidated;

internal sealed class ListDevicesQueryValidator : AbstractValidator<ListDevicesQuery>
{
    public ListDevicesQueryValidator()
    {
        RuleFor(q => q.PageNumber).GreaterThanOrEqualTo(1).WithMessage("must be at least 1").OverridePropertyName("page");
        RuleFor(q => q.PageSize).InclusiveBetween(1, 500).WithMessage("must be between 1 and 500").OverridePropertyName("limit");
        RuleFor(q => q.Cursor).Must(c => Cursor.IsValid(c, 1)).WithMessage("is not a cursor this server gave").OverridePropertyName("cursor");
    }
}

internal sealed class ListDevicesQueryHandler(IBatchSyncDbContext db) : IQueryHandler<ListDevicesQuery, Result<Page<DeviceDto>>>
{
    public async ValueTask<Result<Page<DeviceDto>>> Handle(ListDevicesQuery query, CancellationToken cancellationToken)
    {
        var ids = db.LocationLogs.Select(r => r.DeviceId)
            .Union(db.DrivingLogs.Select(r => r.DeviceId))
            .Union(db.SyncSessions.Select(s => s.DeviceId));
        var total = await ids.CountAsync(cancellationToken);
        var ordered = ids.OrderBy(id => id);
        var window = Cursor.Decode(query.Cursor, 1) is [var after]
#pragma warning disable CA1309 // EF Core translates only the two-argument Compare, to the database's comparison of the column
            ? ordered.Where(id => string.Compare(id, after) > 0)
#pragma warning restore CA1309
            : ordered.Skip((query.PageNumber - 1) * query.PageSize);
        var page = await window.Take(query.PageSize + 1).ToListAsync(cancellationToken);
        var more = page.Count > query.PageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        var devices = new List<DeviceDto>(page.Count);
        foreach (var id in page)
        {
            var last = await db.LocationLogs.AsNoTracking()
                .Where(r => r.DeviceId == id)
                .OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.Id)
                .Select(r => new { r.Timestamp, r.Data })
                .FirstOrDefaultAsync(cancellationToken);
            var position = last is null ? null : PositionDto.Of(last.Timestamp, last.Data);
            var sync = await db.SyncSessions.AsNoTracking()
                .Where(s => s.DeviceId == id)
                .OrderByDescending(s => s.UpdatedAt).ThenByDescending(s => s.CreatedAt).ThenByDescending(s => s.SyncId)
                .Select(s => new { s.SyncId, s.Status, s.UpdatedAt })
                .FirstOrDefaultAsync(cancellationToken);
            var counts = new Dictionary<string, int>
            {
                [RecordType.Location.WireName()] = await db.LocationLogs.CountAsync(r => r.DeviceId == id, cancellationToken),
                [RecordType.Driving.WireName()] = await db.DrivingLogs.CountAsync(r => r.DeviceId == id, cancellationToken),
            };
            devices.Add(new DeviceDto(
                id,
                position,
                sync is null ? null : new LastSyncDto(sync.SyncId, sync.Status.ToString().ToLowerInvariant(), sync.UpdatedAt))
            {
                RecordCounts = counts,
            });
        }

        return new Page<DeviceDto>(devices, query.Cursor is null ? query.PageNumber : null, query.PageSize, total, more ? Cursor.Encode(page[^1]) : null);
    }
}
