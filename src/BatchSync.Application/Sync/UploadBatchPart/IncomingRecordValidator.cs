using BatchSync.Application.Common;
using FluentValidation;
using FluentValidation.Results;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Contract section 3's rules for one record, reported as <c>records[3].latitude</c>. A part carries up
/// to hundreds of records, so the rules are one plain function rather than a rule chain per field:
/// the same messages at a tenth of the cost.
/// </summary>
internal sealed class IncomingRecordValidator : AbstractValidator<IncomingRecord>
{
    public IncomingRecordValidator(LimitsOptions limits, TimeProvider time)
    {
        var floor = new DateTimeOffset(limits.MinTimestamp).ToUnixTimeMilliseconds();
        var skew = (long)TimeSpan.FromHours(limits.MaxClockSkewHours).TotalMilliseconds;
        var floorMessage = $"must not be before {limits.MinTimestamp:yyyy-MM-dd} (Unix epoch milliseconds)";
        var sizeMessage = $"must not exceed {limits.MaxRecordBytes} bytes of JSON";

        RuleFor(r => r).Custom((r, context) =>
        {
            var fail = new Failures(context);
            // A field that came with the wrong JSON type holds null, and the reader has reported it.
            if (!r.Has(RecordFields.Type))
            {
                fail.Add("type", "is required");
            }
            else if (r.Type is { } type && type is not ("location" or "driving"))
            {
                fail.Add("type", "must be 'location' or 'driving'");
            }

            if (r.Timestamp is not { } ts)
            {
                fail.Required(r, RecordFields.Timestamp, "timestamp");
            }
            else if (ts < floor)
            {
                fail.Add("timestamp", floorMessage);
            }
            else if (ts > time.GetUtcNow().ToUnixTimeMilliseconds() + skew)
            {
                fail.Add("timestamp", "must not be in the future (Unix epoch milliseconds)");
            }

            if (r.Json.Length > limits.MaxRecordBytes)
            {
                fail.Add("record", sizeMessage);
            }

            if (r.Type == "location")
            {
                fail.Coordinate(r.Latitude, r.Has(RecordFields.Latitude), "latitude", 90, required: true);
                fail.Coordinate(r.Longitude, r.Has(RecordFields.Longitude), "longitude", 180, required: true);
                fail.AtLeastZero(r.Accuracy, "accuracy");
                fail.Between(r.BatteryLevel, 0, 100, "battery_level");
                fail.ShortText(r.NetworkType, "network_type");
                fail.ShortText(r.Provider, "provider");
            }
            else if (r.Type == "driving")
            {
                if (r.EventType is null)
                {
                    fail.Required(r, RecordFields.EventType, "event_type");
                }
                else if (string.IsNullOrWhiteSpace(r.EventType))
                {
                    fail.Add("event_type", "is required");
                }

                fail.ShortText(r.EventType, "event_type");
                fail.Coordinate(r.LocationLatitude, r.Has(RecordFields.LocationLatitude), "location.latitude", 90, required: false);
                fail.Coordinate(r.LocationLongitude, r.Has(RecordFields.LocationLongitude), "location.longitude", 180, required: false);
                fail.AtLeastZero(r.LocationAccuracy, "location.accuracy");
            }

            fail.AtLeastZero(r.Speed, "speed");
            fail.Between(r.Bearing, 0, 360, "bearing");
        });
    }

    /// <summary>Adds failures under the record's path (<c>records[i].</c> comes from the parent rule).</summary>
    private readonly struct Failures(ValidationContext<IncomingRecord> context)
    {
        public void Add(string field, string message) =>
            context.AddFailure(new ValidationFailure(context.PropertyPath + "." + field, message));

        /// <summary>For a field without a value: "is required" when it did not come (absent or JSON null).</summary>
        public void Required(IncomingRecord record, RecordFields field, string name)
        {
            if (!record.Has(field))
            {
                Add(name, "is required");
            }
        }

        public void Coordinate(double? value, bool came, string field, double bound, bool required)
        {
            if (value is null)
            {
                if (required && !came)
                {
                    Add(field, "is required");
                }
            }
            else if (value < -bound || value > bound)
            {
                Add(field, $"must be between {-bound} and {bound}");
            }
        }

        public void AtLeastZero(double? value, string field)
        {
            if (value < 0)
            {
                Add(field, "must be at least 0");
            }
        }

        public void Between(double? value, double min, double max, string field)
        {
            if (value < min || value > max)
            {
                Add(field, $"must be between {min} and {max}");
            }
        }

        public void ShortText(string? value, string field)
        {
            if (value is { Length: > 64 })
            {
                Add(field, "must be at most 64 characters");
            }
        }
    }
}
