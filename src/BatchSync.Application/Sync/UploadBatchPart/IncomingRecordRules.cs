using System.Runtime.CompilerServices;
using BatchSync.Application.Common;
using BatchSync.Domain.Sync;
using FluentValidation;
using FluentValidation.Results;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Contract section 3's rules for one record, reported as <c>records[3].latitude</c>: the type, the
/// timestamp's range, the record's size, and each field's rule from <see cref="RecordSchema"/>. A field
/// of the wrong JSON type was reported by the reader and is left alone here. A part carries up to
/// hundreds of records, so the rules are one plain function run over the whole list inside the part's
/// validator, rather than a child validator (and its context, its result and its tasks) per record.
/// </summary>
internal sealed class IncomingRecordRules
{
    private static readonly string TypeMessage =
        "must be " + string.Join(" or ", Enum.GetValues<RecordType>().Select(t => $"'{t.WireName()}'"));

    private readonly LimitsOptions _limits;
    private readonly TimeProvider _time;
    private readonly long _floor;
    private readonly long _skew;
    private readonly string _floorMessage;
    private readonly string _sizeMessage;

    public IncomingRecordRules(LimitsOptions limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
        _floor = new DateTimeOffset(limits.MinTimestamp).ToUnixTimeMilliseconds();
        _skew = (long)TimeSpan.FromHours(limits.MaxClockSkewHours).TotalMilliseconds;
        _floorMessage = $"must not be before {limits.MinTimestamp:yyyy-MM-dd} (Unix epoch milliseconds)";
        _sizeMessage = $"must not exceed {limits.MaxRecordBytes} bytes of JSON";
    }

    /// <summary>Every record's failures, under <c>records[i]</c>, in the order of the records.</summary>
    public void Check<T>(IReadOnlyList<IncomingRecord> records, ValidationContext<T> context)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < records.Count; i++)
        {
            Check(records[i], i, now, context);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Check<T>(IncomingRecord r, int index, long now, ValidationContext<T> context)
    {
        void Fail(string field, string message) =>
            context.AddFailure(new ValidationFailure($"records[{index}].{field}", message));

        if (r.TypeArrival == Arrival.Absent)
        {
            Fail("type", "is required");
        }
        else if (r.TypeArrival == Arrival.Came && r.Type is null)
        {
            Fail("type", TypeMessage);
        }

        if (r.TimestampArrival == Arrival.Absent)
        {
            Fail("timestamp", "is required");
        }
        else if (r.TimestampArrival == Arrival.Came && r.Timestamp < _floor)
        {
            Fail("timestamp", _floorMessage);
        }
        else if (r.TimestampArrival == Arrival.Came && r.Timestamp > now + _skew)
        {
            Fail("timestamp", "must not be in the future (Unix epoch milliseconds)");
        }

        if (r.Json.Length > _limits.MaxRecordBytes)
        {
            Fail("record", _sizeMessage);
        }

        // A record of no known type is still held to the rules every type shares.
        foreach (var field in r.Type is { } type ? RecordSchema.Of(type) : RecordSchema.Common)
        {
            if (r.ArrivalOf(field) != Arrival.WrongType && field.Check(r[field]) is { } problem)
            {
                Fail(field.Path, problem);
            }
        }
    }
}
