using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using BatchSync.Application.Admin;
using BatchSync.Domain.Sync;

namespace BatchSync.Api.Export;

/// <summary>
/// A device's records written out as CSV, GeoJSON or GPX, page after page as they are read, so an
/// export of a year is never held in memory whole.
/// </summary>
internal static class RecordExport
{
    public static readonly string[] Formats = ["json", "csv", "geojson", "gpx"];

    // What GPX has a place for: a track point's elevation, a waypoint's name.
    private static readonly string Altitude = RecordSchema.Field("altitude").Path;
    private static readonly string EventType = RecordSchema.Field("event_type").Path;

    public static string ContentType(string format) => format switch
    {
        "csv" => "text/csv; charset=utf-8",
        "geojson" => "application/geo+json",
        _ => "application/gpx+xml",
    };

    /// <summary>Writes every record <paramref name="records"/> yields, in the given format.</summary>
    public static async Task WriteAsync(Stream body, string format, string type, IAsyncEnumerable<RecordDto> records, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
        switch (format)
        {
            case "csv":
                // The type's fields, by column name, in the schema's order.
                var fields = RecordSchema.Of(Type(type));
                await text.WriteLineAsync("timestamp,time,log_date,sync_id,user_name," + string.Join(',', fields.Select(f => f.Column)));
                await foreach (var r in records.WithCancellation(cancellationToken))
                {
                    var cells = new List<string> { Num(r.Timestamp), Time(r.Timestamp), r.LogDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Csv(r.SyncId), Csv(r.UserName) };
                    cells.AddRange(fields.Select(f => Csv(Field(r.Record, f.Path))));
                    await text.WriteLineAsync(string.Join(',', cells));
                }

                break;
            case "geojson":
                await text.WriteAsync("{\"type\":\"FeatureCollection\",\"features\":[");
                var first = true;
                await foreach (var r in records.WithCancellation(cancellationToken))
                {
                    var (lat, lon) = Coordinates(r.Record);
                    var geometry = lat is null || lon is null
                        ? "null"
                        : $"{{\"type\":\"Point\",\"coordinates\":[{Num(lon.Value)},{Num(lat.Value)}]}}";
                    await text.WriteAsync($"{(first ? "" : ",")}{{\"type\":\"Feature\",\"geometry\":{geometry},\"properties\":{r.Record.GetRawText()}}}");
                    first = false;
                }

                await text.WriteAsync("]}");
                break;
            default:
                await WriteGpxAsync(text, type, records, cancellationToken);
                break;
        }
    }

    /// <summary>Location records as one track; driving events (with a position) as waypoints named by event.</summary>
    private static async Task WriteGpxAsync(StreamWriter text, string typeName, IAsyncEnumerable<RecordDto> records, CancellationToken cancellationToken)
    {
        var track = Type(typeName) == RecordType.Location;
        await using var xml = XmlWriter.Create(text, new XmlWriterSettings { Async = true, Indent = false, Encoding = new UTF8Encoding(false) });
        await xml.WriteStartDocumentAsync();
        xml.WriteStartElement("gpx", "http://www.topografix.com/GPX/1/1");
        xml.WriteAttributeString("version", "1.1");
        xml.WriteAttributeString("creator", "BatchSync");
        if (track)
        {
            xml.WriteStartElement("trk");
            xml.WriteStartElement("trkseg");
        }

        await foreach (var r in records.WithCancellation(cancellationToken))
        {
            var (lat, lon) = Coordinates(r.Record);
            if (lat is null || lon is null)
            {
                continue;
            }

            xml.WriteStartElement(track ? "trkpt" : "wpt");
            xml.WriteAttributeString("lat", Num(lat.Value));
            xml.WriteAttributeString("lon", Num(lon.Value));
            if (track && Field(r.Record, Altitude) is { Length: > 0 } altitude)
            {
                xml.WriteElementString("ele", altitude);
            }

            xml.WriteElementString("time", Time(r.Timestamp));
            if (!track)
            {
                xml.WriteElementString("name", Field(r.Record, EventType));
            }

            await xml.WriteEndElementAsync();
        }

        await xml.WriteEndDocumentAsync();
    }

    private static (double? Latitude, double? Longitude) Coordinates(JsonElement record)
    {
        var source = record.TryGetProperty("location", out var location) && location.ValueKind == JsonValueKind.Object ? location : record;
        return (Number(source, "latitude"), Number(source, "longitude"));
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>A field as text, by its path (<c>location.latitude</c> is inside <c>location</c>); empty when it has no value.</summary>
    private static string Field(JsonElement record, string path)
    {
        var value = record;
        foreach (var name in path.Split('.'))
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
            {
                return "";
            }
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() ?? ""
            : value.ValueKind is JsonValueKind.Null or JsonValueKind.Object or JsonValueKind.Array ? ""
            : value.GetRawText();
    }

    private static RecordType Type(string name) =>
        RecordTypes.TryParse(name, out var type) ? type : throw new ArgumentException($"Not a record type: {name}.", nameof(name));

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") < 0 && !value.StartsWith('=') && !value.StartsWith('+') && !value.StartsWith('-') && !value.StartsWith('@')
            ? value
            : "\"" + (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' && !double.TryParse(value, CultureInfo.InvariantCulture, out _) ? "'" : "") + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Num(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(long timestamp) =>
        DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
