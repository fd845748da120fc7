using BatchSync.Application.Common;
using FluentValidation;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>Contract section 3's rules for one record; paths come out as <c>records[3].latitude</c>.</summary>
internal sealed class IncomingRecordValidator : AbstractValidator<IncomingRecord>
{
    public IncomingRecordValidator(LimitsOptions limits, TimeProvider time)
    {
        var floor = new DateTimeOffset(limits.MinTimestamp).ToUnixTimeMilliseconds();
        var skew = (long)TimeSpan.FromHours(limits.MaxClockSkewHours).TotalMilliseconds;

        RuleFor(r => r.Type)
            .Must((r, type) => type is "location" or "driving" || (type is null && r.Has(RecordFields.Type)))
            .WithMessage(r => r.Has(RecordFields.Type) ? "must be 'location' or 'driving'" : "is required")
            .OverridePropertyName("type");
        RuleFor(r => r.Timestamp)
            .Must((r, ts) => ts is not null || r.Has(RecordFields.Timestamp)).WithMessage("is required")
            .Must(ts => ts is null || ts >= floor)
            .WithMessage($"must not be before {limits.MinTimestamp:yyyy-MM-dd} (Unix epoch milliseconds)")
            .Must(ts => ts is null || ts <= time.GetUtcNow().ToUnixTimeMilliseconds() + skew)
            .WithMessage("must not be in the future (Unix epoch milliseconds)")
            .OverridePropertyName("timestamp");
        RuleFor(r => r.Json.Length)
            .LessThanOrEqualTo(limits.MaxRecordBytes).WithMessage($"must not exceed {limits.MaxRecordBytes} bytes of JSON")
            .OverridePropertyName("record");

        When(r => r.Type == "location", () =>
        {
            Coordinate(r => r.Latitude, RecordFields.Latitude, "latitude", 90, required: true);
            Coordinate(r => r.Longitude, RecordFields.Longitude, "longitude", 180, required: true);
            RuleFor(r => r.Accuracy).GreaterThanOrEqualTo(0).WithMessage("must be at least 0").OverridePropertyName("accuracy");
            RuleFor(r => r.BatteryLevel).InclusiveBetween(0, 100).WithMessage("must be between 0 and 100").OverridePropertyName("battery_level");
            RuleFor(r => r.NetworkType).MaximumLength(64).WithMessage("must be at most 64 characters").OverridePropertyName("network_type");
            RuleFor(r => r.Provider).MaximumLength(64).WithMessage("must be at most 64 characters").OverridePropertyName("provider");
        });

        When(r => r.Type == "driving", () =>
        {
            RuleFor(r => r.EventType)
                .Must((r, e) => !string.IsNullOrWhiteSpace(e) || (e is null && r.Has(RecordFields.EventType)))
                .WithMessage("is required")
                .MaximumLength(64).WithMessage("must be at most 64 characters")
                .OverridePropertyName("event_type");
            Coordinate(r => r.LocationLatitude, RecordFields.LocationLatitude, "location.latitude", 90, required: false);
            Coordinate(r => r.LocationLongitude, RecordFields.LocationLongitude, "location.longitude", 180, required: false);
            RuleFor(r => r.LocationAccuracy).GreaterThanOrEqualTo(0).WithMessage("must be at least 0").OverridePropertyName("location.accuracy");
        });

        RuleFor(r => r.Speed).GreaterThanOrEqualTo(0).WithMessage("must be at least 0").OverridePropertyName("speed");
        RuleFor(r => r.Bearing).InclusiveBetween(0, 360).WithMessage("must be between 0 and 360").OverridePropertyName("bearing");
    }

    private void Coordinate(
        System.Linq.Expressions.Expression<Func<IncomingRecord, double?>> field,
        RecordFields flag,
        string name,
        double bound,
        bool required)
    {
        RuleFor(field)
            .Must((r, v) => !required || v is not null || r.Has(flag)).WithMessage("is required")
            .InclusiveBetween(-bound, bound).WithMessage($"must be between {-bound} and {bound}")
            .OverridePropertyName(name);
    }
}
