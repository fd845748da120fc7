using System.Globalization;
using System.Text;

namespace BatchSync.RawInsert;

/// <summary>A text value as the ADO.NET path binds it and as the raw path binds it (UTF-8, made once).</summary>
internal sealed record Text(string Value, byte[] Utf8)
{
    public static Text Of(string value) => new(value, Encoding.UTF8.GetBytes(value));
}

/// <summary>One row of <c>location_logs</c>, every value ready to bind.</summary>
internal readonly record struct LocationRow(
    Text DeviceId,
    Text UserName,
    Text SyncId,
    Text LogDate,
    long Timestamp,
    long ContentHash,
    byte[] Data,
    double Latitude,
    double Longitude,
    double Accuracy,
    double? Altitude,
    double Speed,
    double Bearing,
    double BatteryLevel,
    Text NetworkType,
    Text Provider);

/// <summary>
/// The records to insert, made before anything is timed: devices take turns sending parts of
/// <see cref="PartSize"/> records, each device's timestamps go up about a second apart, and a device
/// starts a new sync every ten parts. The data is the record's canonical JSON line, as the server stores it.
/// </summary>
internal sealed class LocationRecords
{
    public const int PartSize = 100;

    private static readonly DateTimeOffset Start = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
    private static readonly Text[] Networks = [Text.Of("WiFi"), Text.Of("LTE"), Text.Of("5G")];
    private static readonly Text[] Providers = [Text.Of("gps"), Text.Of("fused"), Text.Of("network")];

    private LocationRecords(LocationRow[] rows, string[]? dataText)
    {
        Rows = rows;
        DataText = dataText;
    }

    public LocationRow[] Rows { get; }

    /// <summary>The data as .NET strings, for the ADO.NET path; null when only the raw path runs.</summary>
    public string[]? DataText { get; }

    public double AverageDataBytes => Rows.Average(r => r.Data.Length);

    public static LocationRecords Generate(int count, int devices, bool withStrings)
    {
        var random = new Random(20261202);
        var dates = new Dictionary<string, Text>();
        var state = Enumerable.Range(1, devices).Select(i => new Device(i, random)).ToArray();
        var rows = new LocationRow[count];
        var dataText = withStrings ? new string[count] : null;
        for (var i = 0; i < count; i++)
        {
            var device = state[i / PartSize % devices];
            if (i % PartSize == 0 && device.Parts++ % 10 == 0)
            {
                device.SyncId = Text.Of($"{device.Id.Value}_{device.Timestamp}_{random.Next(0x1000000):x6}");
            }

            device.Timestamp += 1000 + random.Next(50);
            var dateText = DateTimeOffset.FromUnixTimeMilliseconds(device.Timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (!dates.TryGetValue(dateText, out var date))
            {
                date = Text.Of(dateText);
                dates[dateText] = date;
            }

            device.Latitude = Math.Round(device.Latitude + ((random.NextDouble() - 0.5) * 0.0004), 8);
            device.Longitude = Math.Round(device.Longitude + ((random.NextDouble() - 0.5) * 0.0004), 8);
            var provider = random.Next(8) == 0 ? Providers[2] : random.Next(4) == 0 ? Providers[1] : Providers[0];
            double? altitude = ReferenceEquals(provider, Providers[2]) ? null : Math.Round(20 + (random.NextDouble() * 80), 4);
            var row = new LocationRow(
                device.Id,
                device.UserName,
                device.SyncId!,
                date,
                device.Timestamp,
                random.NextInt64(long.MinValue, long.MaxValue),
                [],
                device.Latitude,
                device.Longitude,
                Math.Round(3 + (random.NextDouble() * 20), 2),
                altitude,
                Math.Round(random.NextDouble() * 30, 4),
                Math.Round(random.NextDouble() * 360, 3),
                Math.Max(1, 100 - (i / PartSize / devices % 100)),
                random.Next(6) == 0 ? Networks[1 + random.Next(2)] : Networks[0],
                provider);
            var json = Json(row);
            rows[i] = row with { Data = Encoding.UTF8.GetBytes(json) };
            if (dataText is not null)
            {
                dataText[i] = json;
            }
        }

        return new LocationRecords(rows, dataText);
    }

    /// <summary>The canonical line: type, timestamp, then the fields in the schema's order, absent ones left out.</summary>
    private static string Json(LocationRow row)
    {
        var json = new StringBuilder(256);
        json.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"location\",\"timestamp\":{row.Timestamp}");
        json.Append(CultureInfo.InvariantCulture, $",\"latitude\":{row.Latitude},\"longitude\":{row.Longitude},\"accuracy\":{row.Accuracy}");
        if (row.Altitude is { } altitude)
        {
            json.Append(CultureInfo.InvariantCulture, $",\"altitude\":{altitude}");
        }

        json.Append(CultureInfo.InvariantCulture, $",\"speed\":{row.Speed},\"bearing\":{row.Bearing},\"battery_level\":{row.BatteryLevel}");
        json.Append(CultureInfo.InvariantCulture, $",\"network_type\":\"{row.NetworkType.Value}\",\"provider\":\"{row.Provider.Value}\"}}");
        return json.ToString();
    }

    private sealed class Device(int number, Random random)
    {
        public Text Id { get; } = Text.Of($"bench-device-{number}");

        public Text UserName { get; } = Text.Of($"bench-user-{number}");

        public Text? SyncId { get; set; }

        public int Parts { get; set; }

        public long Timestamp { get; set; } = Start.ToUnixTimeMilliseconds() + random.Next(60_000);

        public double Latitude { get; set; } = Math.Round(31.5 + random.NextDouble(), 8);

        public double Longitude { get; set; } = Math.Round(34.5 + random.NextDouble(), 8);
    }
}
