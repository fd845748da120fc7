using System.Text.Json.Nodes;

namespace BatchSync.Cli;

/// <summary>
/// Realistic days of a phone in a car: trips and stops, a fix every 10 s while moving (60 s parked),
/// driving_start / hard_brake / driving_stop events, and a battery that drains and charges.
/// </summary>
internal static class Simulation
{
    public static List<JsonObject> Track(Random random, DateTimeOffset start, TimeSpan span)
    {
        var records = new List<JsonObject>();
        var t = start;
        var end = start + span;
        double lat = 32.0 + random.NextDouble(), lon = 34.7 + random.NextDouble(), battery = 60 + random.Next(40), bearing = random.Next(360);
        var driving = false;
        var phaseEnds = t + TimeSpan.FromMinutes(5 + random.Next(20));
        while (t < end)
        {
            if (t >= phaseEnds)
            {
                driving = !driving;
                phaseEnds = t + TimeSpan.FromMinutes(driving ? 10 + random.Next(30) : 5 + random.Next(25));
                records.Add(Event(t, driving ? "driving_start" : "driving_stop", lat, lon));
            }

            var speed = driving ? 5 + (random.NextDouble() * 25) : 0;
            if (driving)
            {
                bearing = (bearing + random.Next(-15, 16) + 360) % 360;
                lat += speed * 10 * Math.Cos(bearing * Math.PI / 180) / 111_000;
                lon += speed * 10 * Math.Sin(bearing * Math.PI / 180) / 94_000;
                battery = Math.Max(5, battery - 0.03);
                if (random.NextDouble() < 0.01)
                {
                    records.Add(Event(t.AddMilliseconds(500), "hard_brake", lat, lon));
                }
            }
            else
            {
                battery = Math.Min(100, battery + 0.05);
            }

            records.Add(new JsonObject
            {
                ["type"] = "location",
                ["timestamp"] = t.ToUnixTimeMilliseconds(),
                ["latitude"] = Math.Round(lat, 6),
                ["longitude"] = Math.Round(lon, 6),
                ["accuracy"] = Math.Round(3 + (random.NextDouble() * 15), 1),
                ["speed"] = Math.Round(speed, 1),
                ["bearing"] = Math.Round((double)bearing, 1),
                ["battery_level"] = (int)battery,
                ["network_type"] = random.NextDouble() < 0.7 ? "4G" : "WiFi",
                ["provider"] = "gps",
            });
            t += TimeSpan.FromSeconds(driving ? 10 : 60);
        }

        return records;
    }

    private static JsonObject Event(DateTimeOffset t, string type, double lat, double lon) => new()
    {
        ["type"] = "driving",
        ["timestamp"] = t.ToUnixTimeMilliseconds(),
        ["event_type"] = type,
        ["location"] = new JsonObject { ["latitude"] = Math.Round(lat, 6), ["longitude"] = Math.Round(lon, 6), ["accuracy"] = 10.0 },
    };
}
