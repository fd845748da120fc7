using BatchSync.Application.Common;
using BatchSync.Domain.Sync;
using FluentValidation;
using FluentValidation.Results;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Contract section 3's rules for one record, reported as <c>records[3].latitude</c>: the type, the
/// timestamp's range, the record's size, and each field's rule from <see cref="RecordSchema"/>. A field
/// of the wrong JSON type was reported by the reader and is left alone here. A part carries up to
/// hundreds of records, so the rules are one plain function rather than a rule chain per field.
/// </summary>
internal sealed class IncomingRecordValidator : AbstractValidator<IncomingRecord>
{
    private static readonly string TypeMessage =
        "must be " + string.Join(" or ", Enum.GetValues<RecordType>().Select(t => $"'{t.WireName()}'"));

    public IncomingRecordValidator(LimitsOptions limits, TimeProvider time)
    {
        var floor = new DateTimeOffset(limits.MinTimestamp).ToUnixTimeMilliseconds();
        var skew = (long)TimeSpan.FromHours(limits.MaxClockSkewHours).TotalMilliseconds;
        var floorMessage = $"must not be before {limits.MinTimestamp:yyyy-MM-dd} (Unix epoch milliseconds)";
        var sizeMessage = $"must not exceed {limits.MaxRecordBytes} bytes of JSON";

        RuleFor(r => r).Custom((r, context) =>
        {
            void Fail(string field, string message) =>
                context.AddFailure(new ValidationFailure(context.PropertyPath + "." + field, message));

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
            else if (r.TimestampArrival == Arrival.Came && r.Timestamp < floor)
            {
                Fail("timestamp", floorMessage);
            }
            else if (r.TimestampArrival == Arrival.Came && r.Timestamp > time.GetUtcNow().ToUnixTimeMilliseconds() + skew)
            {
                Fail("timestamp", "must not be in the future (Unix epoch milliseconds)");
            }

            if (r.Json.Length > limits.MaxRecordBytes)
            {
                Fail("record", sizeMessage);
            }

            // A record of no known type is still held to the rules every type shares.
            foreach (var field in r.Type is { } type ? RecordSchema.Of(type) : RecordSchema.Common)
            {
                if (r.ArrivalOf(field) != Arrival.WrongType && field.Check(r[field]) is { } problem)
                {
                    Fail(field.Path, problem);
                }
            }
        });
    }
}
