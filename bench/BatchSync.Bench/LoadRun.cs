using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace BatchSync.Bench;

internal sealed class LoadResult
{
    public List<double> Latencies { get; } = [];

    public long AcceptedParts { get; set; }

    public long CompletedSyncs { get; set; }

    public long CompletedRecords { get; set; }

    public long Errors { get; set; }

    public string? FirstError { get; set; }

    public TimeSpan Elapsed { get; set; }
}

/// <summary>Each client is one device that uploads whole syncs, part after part, until time is up.</summary>
internal static class LoadRun
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly string[] Latitudes = Coordinates(32.0853, 1e-5);
    private static readonly string[] Longitudes = Coordinates(34.7818, -1e-5);
    private static long _syncCounter;

    private static string[] Coordinates(double start, double step) =>
        [.. Enumerable.Range(0, 1000).Select(i => (start + (i * step)).ToString("R", System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Client c talks to instance c mod the number of instances, as a balancer keeping each phone's connection would.</summary>
    public static async Task<LoadResult> RunAsync(IReadOnlyList<HttpClient> instances, BenchOptions options, TimeSpan duration, string phase)
    {
        var result = new LoadResult();
        var stopwatch = Stopwatch.StartNew();
        var clients = Enumerable.Range(0, options.Clients)
            .Select(c => Task.Run(() => ClientAsync(instances[c % instances.Count], options, $"{phase}-device-{c}", stopwatch, duration, result)))
            .ToArray();
        await Task.WhenAll(clients);
        result.Elapsed = stopwatch.Elapsed;
        return result;
    }

    private static async Task ClientAsync(HttpClient http, BenchOptions options, string device, Stopwatch clock, TimeSpan duration, LoadResult result)
    {
        var latencies = new List<double>();
        long accepted = 0, completedSyncs = 0, completedRecords = 0, errors = 0;
        string? firstError = null;
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var timestamp = 1_700_000_000_000L;
        while (clock.Elapsed < duration)
        {
            var syncId = $"{device}_{Interlocked.Increment(ref _syncCounter)}";
            var completed = false;
            for (var part = 1; part <= options.Parts && clock.Elapsed < duration; part++)
            {
                buffer.ResetWrittenCount();
                timestamp = WritePart(buffer, syncId, device, part, options.Parts, options.Records, timestamp);
                using var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
                content.Headers.ContentType = Json;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync(new Uri("/api/v1/batch-sync", UriKind.Relative), content);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.IsSuccessStatusCode)
                    {
                        accepted++;
                        completed = body.AsSpan().IndexOf("\"sync_complete\":true"u8) >= 0;
                    }
                    else
                    {
                        errors++;
                        firstError ??= $"{(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}";
                    }
                }
                catch (HttpRequestException e)
                {
                    errors++;
                    firstError ??= e.Message;
                }
            }

            if (completed)
            {
                completedSyncs++;
                completedRecords += options.Parts * options.Records;
            }
        }

        lock (result)
        {
            result.Latencies.AddRange(latencies);
            result.AcceptedParts += accepted;
            result.CompletedSyncs += completedSyncs;
            result.CompletedRecords += completedRecords;
            result.Errors += errors;
            result.FirstError ??= firstError;
        }
    }

    /// <summary>One part in the seed's format: nine GPS fixes to one driving event, a fix a second.</summary>
    /// <returns>The last record's timestamp, where the next part goes on from.</returns>
    internal static long WritePart(ArrayBufferWriter<byte> buffer, string syncId, string device, int part, int totalParts, int records, long timestamp)
    {
        using var w = new Utf8JsonWriter(buffer);
        w.WriteStartObject();
        w.WriteString("sync_id", syncId);
        w.WriteString("device_id", device);
        w.WriteString("user_name", "bench_user");
        w.WriteNumber("part_number", part);
        w.WriteNumber("total_parts", totalParts);
        w.WriteStartArray("records");
        for (var i = 0; i < records; i++)
        {
            timestamp += 1000;
            w.WriteStartObject();
            if (i % 10 == 9)
            {
                w.WriteString("type", "driving");
                w.WriteNumber("timestamp", timestamp);
                w.WriteString("event_type", "harsh_brake");
                w.WriteStartObject("location");
                w.WritePropertyName("latitude");
                w.WriteRawValue("32.0863"u8, skipInputValidation: true);
                w.WritePropertyName("longitude");
                w.WriteRawValue("34.7828"u8, skipInputValidation: true);
                w.WritePropertyName("accuracy");
                w.WriteRawValue("12.0"u8, skipInputValidation: true);
                w.WriteEndObject();
                w.WritePropertyName("speed");
                w.WriteRawValue("31.5"u8, skipInputValidation: true);
                w.WritePropertyName("bearing");
                w.WriteRawValue("180.0"u8, skipInputValidation: true);
            }
            else
            {
                w.WriteString("type", "location");
                w.WriteNumber("timestamp", timestamp);
                // Coordinates are formatted once: the load tool should spend its CPU on HTTP, not on number formatting.
                w.WritePropertyName("latitude");
                w.WriteRawValue(Latitudes[i], skipInputValidation: true);
                w.WritePropertyName("longitude");
                w.WriteRawValue(Longitudes[i], skipInputValidation: true);
                w.WritePropertyName("accuracy");
                w.WriteRawValue("15.0"u8, skipInputValidation: true);
                w.WritePropertyName("altitude");
                w.WriteRawValue("125.5"u8, skipInputValidation: true);
                w.WritePropertyName("speed");
                w.WriteRawValue("45.2"u8, skipInputValidation: true);
                w.WritePropertyName("bearing");
                w.WriteRawValue("245.8"u8, skipInputValidation: true);
                w.WriteNumber("battery_level", 85);
                w.WriteString("network_type", "WiFi");
                w.WriteString("provider", "gps");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        return timestamp;
    }
}
