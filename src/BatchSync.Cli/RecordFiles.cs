using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace BatchSync.Cli;

/// <summary>Reads records to send from NDJSON (one record a line), CSV (a header row) or GPX (track points).</summary>
internal static class RecordFiles
{
    /// <summary>The records, and the GPX points left out for want of a time (with <paramref name="skipUntimed"/>).</summary>
    public static (List<JsonObject> Records, List<string> Skipped) Read(string path, bool skipUntimed = false) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => (ReadCsv(path), []),
        ".gpx" => ReadGpx(path, skipUntimed),
        _ => (ReadNdjson(path), []),
    };

    private static List<JsonObject> ReadNdjson(string path)
    {
        var records = new List<JsonObject>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                records.Add(JsonNode.Parse(line) as JsonObject ?? throw new FormatException($"line {number}: not a JSON object"));
            }
            catch (JsonException e)
            {
                throw new FormatException($"line {number}: {e.Message}", e);
            }
        }

        return records;
    }

    /// <summary>Columns named as the wire's fields (<c>type,timestamp,latitude,…</c>); numbers stay numbers, empty cells are left out.</summary>
    private static List<JsonObject> ReadCsv(string path)
    {
        using var reader = new StreamReader(path);
        var header = reader.ReadLine()?.Split(',').Select(h => h.Trim()).ToArray() ?? throw new FormatException("empty CSV");
        var records = new List<JsonObject>();
        string? line;
        var number = 1;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var cells = line.Split(',');
            var record = new JsonObject();
            for (var i = 0; i < header.Length && i < cells.Length; i++)
            {
                var cell = cells[i].Trim().Trim('"');
                if (cell.Length == 0)
                {
                    continue;
                }

                record[header[i]] = header[i] == "timestamp" && long.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ts) ? ts
                    : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number2) && header[i] is not ("type" or "event_type" or "network_type" or "provider") ? number2
                    : JsonValue.Create(cell);
            }

            record["type"] ??= "location";
            if (record["timestamp"] is null)
            {
                throw new FormatException($"line {number}: no timestamp");
            }

            records.Add(record);
        }

        return records;
    }

    /// <summary>
    /// Track, route and waypoints become location records: <c>&lt;time&gt;</c> the timestamp, <c>&lt;ele&gt;</c>
    /// the altitude, <c>&lt;speed&gt;</c> (GPX 1.0, or a 1.1 extension such as Garmin's) the speed in m/s.
    /// A point without a time is named (its number and line); it refuses the file unless skipped.
    /// </summary>
    private static (List<JsonObject> Records, List<string> Skipped) ReadGpx(string path, bool skipUntimed)
    {
        var document = XDocument.Load(path, LoadOptions.SetLineInfo);
        var records = new List<JsonObject>();
        var skipped = new List<string>();
        var number = 0;
        foreach (var point in document.Descendants().Where(e => e.Name.LocalName is "trkpt" or "rtept" or "wpt"))
        {
            number++;
            var line = ((System.Xml.IXmlLineInfo)point).HasLineInfo() ? $", line {((System.Xml.IXmlLineInfo)point).LineNumber}" : "";
            var name = $"point {number} (<{point.Name.LocalName} lat=\"{point.Attribute("lat")?.Value}\" lon=\"{point.Attribute("lon")?.Value}\">{line})";
            if (point.Elements().FirstOrDefault(e => e.Name.LocalName == "time")?.Value is not { } time)
            {
                if (!skipUntimed)
                {
                    throw new FormatException($"GPX {name} has no <time>; send with --skip-untimed to leave such points out");
                }

                skipped.Add(name);
                continue;
            }

            var record = new JsonObject
            {
                ["type"] = "location",
                ["timestamp"] = DateTimeOffset.Parse(time, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
                ["latitude"] = double.Parse(point.Attribute("lat")!.Value, CultureInfo.InvariantCulture),
                ["longitude"] = double.Parse(point.Attribute("lon")!.Value, CultureInfo.InvariantCulture),
                ["provider"] = "gpx",
            };
            if (point.Elements().FirstOrDefault(e => e.Name.LocalName == "ele") is { } elevation)
            {
                record["altitude"] = double.Parse(elevation.Value, CultureInfo.InvariantCulture);
            }

            if (point.Descendants().FirstOrDefault(e => e.Name.LocalName == "speed") is { } speed)
            {
                record["speed"] = double.Parse(speed.Value, CultureInfo.InvariantCulture);
            }

            records.Add(record);
        }

        return (records, skipped);
    }
}
