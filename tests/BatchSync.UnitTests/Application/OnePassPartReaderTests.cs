using System.Globalization;
using System.Text;
using BatchSync.Application.Common;
using BatchSync.Application.Sync.UploadBatchPart;
using BatchSync.Domain.Sync;

namespace BatchSync.UnitTests.Application;

/// <summary>
/// The one-pass reader against the document walk: for every body, plain or not, the command an upload
/// is read into is the one the document walk makes of it, and plain bodies take the one pass.
/// </summary>
public class OnePassPartReaderTests
{
    private static readonly Caller Device = new("t", CallerRole.Device, null);

    [Fact]
    public void PlainParts_TakeTheOnePass_AndReadAsTheDocumentWalkReadsThem()
    {
        var random = new Random(20261206);
        for (var i = 0; i < 2000; i++)
        {
            var body = Encoding.UTF8.GetBytes(Part(random, plain: true));
            var onePass = OnePassPartReader.TryRead(body, Device, DigestCheck.Absent);

            Assert.True(onePass is not null, Encoding.UTF8.GetString(body));
            AssertSame(BatchPartReader.ReadByDocument(body, Device, DigestCheck.Absent), onePass, body);
        }
    }

    [Fact]
    public void PartsWithSomethingUnusual_ReadAsTheDocumentWalkReadsThem()
    {
        var random = new Random(7);
        var took = 0;
        for (var i = 0; i < 3000; i++)
        {
            var body = Encoding.UTF8.GetBytes(Twist(random, Part(random, plain: false)));
            var byDocument = Walk(body);
            if (byDocument is null)
            {
                Assert.ThrowsAny<System.Text.Json.JsonException>(() => BatchPartReader.Read(body, Device));
                continue;
            }

            var read = BatchPartReader.Read(body, Device);
            AssertSame(byDocument, read, body);
            took += OnePassPartReader.TryRead(body, Device, DigestCheck.Absent) is null ? 0 : 1;
        }

        // Some of these are plain after all; most are not.
        Assert.InRange(took, 1, 2999);
    }

    [Theory]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"latitude":1,"latitude":2}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"lat\u0069tude":1}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"provider":"g\u0070s"}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"note":1}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"latitude":"1"}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"latitude":1e999}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1.5}]}""")]
    [InlineData("""{"records":[{"type":"walking","timestamp":1}]}""")]
    [InlineData("""{"records":[{"type":"location","timestamp":1,"location":{"latitude":1}}]}""")]
    [InlineData("""{"records":[{"type":"driving","timestamp":1,"location":{"latitude":1,"x":2}}]}""")]
    [InlineData("""{"records":[{"type":"driving","timestamp":1,"location":5}]}""")]
    [InlineData("""{"records":[{"type":"driving","timestamp":1,"location":{"latitude":1,"latitude":2}}]}""")]
    [InlineData("""{"records":[1]}""")]
    [InlineData("""{"records":{}}""")]
    [InlineData("""{"records":null}""")]
    [InlineData("""{"sync_id":"a","sync_id":"b","records":[]}""")]
    [InlineData("""{"sync_id":null,"sync_id":"b","records":[]}""")]
    [InlineData("""{"sync_id":"\u0061","records":[]}""")]
    [InlineData("""{"part_number":2147483648,"records":[]}""")]
    [InlineData("""{"part_number":null,"records":[]}""")]
    [InlineData("""{"sync\u005fid":"s1","records":[]}""")]
    [InlineData("""{"sync_id":"a","sync\u005fid":"b","records":[]}""")]
    [InlineData("""{"records":[],"record\u0073":[{"type":"walking"}]}""")]
    [InlineData("""{"record\u0073":5,"sync_id":"a"}""")]
    public void NotPlain_LeftToTheDocumentWalk(string body)
    {
        Assert.Null(OnePassPartReader.TryRead(Encoding.UTF8.GetBytes(body), Device, DigestCheck.Absent));
    }

    [Theory]
    [InlineData("provider", "g\u00c3(s")]
    [InlineData("provider", "\u00ed\u00a0\u0080")]
    [InlineData("user_name", "a\u00ff")]
    [InlineData("event_type", "x\u00c0")]
    public void InvalidUtf8InAString_LeftToTheDocumentWalk_WhichRefusesTheBody(string field, string latin1)
    {
        // The bytes as Latin-1 spells them: not UTF-8.
        var value = Encoding.Latin1.GetBytes(latin1);
        var record = field == "user_name"
            ? """{"type":"location","timestamp":1,"latitude":1,"longitude":2}"""
            : $$"""{"type":"{{(field == "provider" ? "location" : "driving")}}","timestamp":1,"latitude":1,"longitude":2,"{{field}}":"@"}""";
        var envelope = field == "user_name" ? """{"user_name":"@","records":[""" + record + "]}" : """{"records":[""" + record + "]}";
        var at = Array.IndexOf(Encoding.UTF8.GetBytes(envelope), (byte)'@');
        byte[] body = [.. Encoding.UTF8.GetBytes(envelope)[..at], .. value, .. Encoding.UTF8.GetBytes(envelope)[(at + 1)..]];

        Assert.Null(OnePassPartReader.TryRead(body, Device, DigestCheck.Absent));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => BatchPartReader.Read(body, Device));
    }

    private static UploadBatchPartCommand? Walk(byte[] body)
    {
        try
        {
            return BatchPartReader.ReadByDocument(body, Device, DigestCheck.Absent);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static void AssertSame(UploadBatchPartCommand expected, UploadBatchPartCommand actual, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        Assert.True(
            (expected.SyncId, expected.DeviceId, expected.UserName, expected.PartNumber, expected.TotalParts, expected.Checksum, expected.RecordsChecksum)
            == (actual.SyncId, actual.DeviceId, actual.UserName, actual.PartNumber, actual.TotalParts, actual.Checksum, actual.RecordsChecksum),
            text);
        Assert.True((expected.Reading.Sent, expected.Reading.Read) == (actual.Reading.Sent, actual.Reading.Read), text);
        Assert.Equal(expected.Reading.Errors.OrderBy(e => e.Key).Select(e => (e.Key, string.Join("|", e.Value))),
            actual.Reading.Errors.OrderBy(e => e.Key).Select(e => (e.Key, string.Join("|", e.Value))));
        Assert.Equal(expected.Records.Count, actual.Records.Count);
        for (var i = 0; i < expected.Records.Count; i++)
        {
            var (e, a) = (expected.Records[i], actual.Records[i]);
            Assert.Equal(Encoding.UTF8.GetString(e.Json), Encoding.UTF8.GetString(a.Json));
            Assert.Equal(Encoding.UTF8.GetString(e.IdentityJson), Encoding.UTF8.GetString(a.IdentityJson));
            Assert.True((e.Type, e.TypeArrival, e.Timestamp, e.TimestampArrival) == (a.Type, a.TypeArrival, a.Timestamp, a.TimestampArrival), text);
            foreach (var field in RecordSchema.Fields)
            {
                Assert.True(e[field].Equals(a[field]) && e.ArrivalOf(field) == a.ArrivalOf(field), $"{field.Path} in {text}");
            }
        }
    }

    private static string Part(Random random, bool plain)
    {
        var fields = new List<string>
        {
            $"\"sync_id\":\"sync-{random.Next(1000)}\"",
            $"\"device_id\":\"{Pick(random, "phone-1", "téléphone", "電話-7")}\"",
            $"\"user_name\":\"{Pick(random, "dana", "Zoë")}\"",
            $"\"part_number\":{random.Next(1, 50)}",
            $"\"total_parts\":{random.Next(1, 50)}",
            $"\"records\":[{string.Join(Pick(random, ",", ", ", ",\n  "), Enumerable.Range(0, random.Next(0, 6)).Select(_ => Record(random, plain)))}]",
        };
        if (random.Next(3) == 0)
        {
            fields.Add(random.Next(2) == 0 ? "\"checksum\":null" : "\"checksum\":\"sha256:00ff\"");
        }

        if (random.Next(4) == 0)
        {
            fields.Add("\"app_version\":{\"v\":[1,2,{\"x\":null}]}");
        }

        if (random.Next(4) == 0)
        {
            fields.RemoveAt(random.Next(fields.Count - 1));
        }

        return "{" + string.Join(Pick(random, ",", " , "), fields.OrderBy(_ => random.Next())) + "}";
    }

    private static string Record(Random random, bool plain)
    {
        var driving = random.Next(3) == 0;
        var properties = new List<string>
        {
            $"\"type\":\"{(driving ? "driving" : "location")}\"",
            $"\"timestamp\":{1_725_750_000_000L + random.Next()}",
        };
        if (driving)
        {
            properties.Add($"\"event_type\":\"{Pick(random, "hard_brake", "virage serré")}\"");
            var location = new[] { $"\"latitude\":{Number(random)}", $"\"longitude\":{Number(random)}", $"\"accuracy\":{Number(random)}" }
                .Where(_ => random.Next(5) > 0).OrderBy(_ => random.Next());
            properties.Add(random.Next(8) == 0 ? "\"location\":null" : $"\"location\":{{{string.Join(",", location)}}}");
        }
        else
        {
            properties.AddRange(new[]
            {
                $"\"latitude\":{Number(random)}",
                $"\"longitude\":{Number(random)}",
                $"\"accuracy\":{Number(random)}",
                $"\"altitude\":{(random.Next(6) == 0 ? "null" : Number(random))}",
                $"\"battery_level\":{random.Next(0, 101)}",
                $"\"network_type\":\"{Pick(random, "4G", "WiFi", "réseau")}\"",
                $"\"provider\":{(random.Next(6) == 0 ? "null" : "\"gps\"")}",
            }.Where(_ => random.Next(6) > 0));
        }

        properties.AddRange(new[] { $"\"speed\":{Number(random)}", $"\"bearing\":{Number(random)}" }.Where(_ => random.Next(3) > 0));
        if (!plain && random.Next(3) == 0)
        {
            properties.Add(Pick(random, "\"note\":\"a\\nb\"", "\"extra\":[1,2.50]", "\"meta\":{\"b\":1,\"a\":2}", "\"n\":null"));
        }

        return "{" + string.Join(Pick(random, ",", " ,", ", "), properties.OrderBy(_ => random.Next())) + "}";
    }

    /// <summary>Numbers in the forms phones write them, some not in their one form.</summary>
    private static string Number(Random random) => random.Next(9) switch
    {
        0 => random.Next(-500, 500).ToString(CultureInfo.InvariantCulture),
        1 => (random.Next(0, 3600) / 10.0).ToString("0.0", CultureInfo.InvariantCulture),
        2 => (32 + random.NextDouble()).ToString("R", CultureInfo.InvariantCulture),
        3 => (-(random.NextDouble() * 180)).ToString("F6", CultureInfo.InvariantCulture),
        4 => Pick(random, "1e2", "2.5E-3", "-0", "0.0", "100.000", "0.1000000000000000055511151231257827"),
        5 => (random.NextDouble() * 1000).ToString("F3", CultureInfo.InvariantCulture),
        6 => Pick(random, "32.085409999999996", "34.78179000000001", "12345678901234567890", "-0.0"),
        7 => random.Next(0, 100).ToString(CultureInfo.InvariantCulture) + ".50",
        _ => (random.NextDouble() * 90).ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>A body with one thing made unusual, or left as it is.</summary>
    private static string Twist(Random random, string body) => random.Next(13) switch
    {
        0 => body.Replace("\"latitude\":", "\"lat\\u0069tude\":", StringComparison.Ordinal),
        1 => body.Replace("\"gps\"", "\"g\\u0070s\"", StringComparison.Ordinal),
        2 => body.Replace("\"speed\":", "\"speed\":\"", StringComparison.Ordinal).Replace(",\"bearing", "\",\"bearing", StringComparison.Ordinal),
        3 => body.Replace("\"type\":\"driving\"", "\"type\":\"walking\"", StringComparison.Ordinal),
        4 => body.Replace("\"timestamp\":", "\"timestamp\":-", StringComparison.Ordinal),
        5 => body.Replace("\"records\":[", "\"records\":[1,", StringComparison.Ordinal),
        6 => body.Replace("\"part_number\":", "\"part_number\":\"", StringComparison.Ordinal),
        7 => body.Replace("\"location\":{", "\"location\":{\"latitude\":null,", StringComparison.Ordinal),
        8 => body[..(body.Length / 2)],
        9 => body.Replace("\"bearing\":", "\"bearing\":true,\"x\":", StringComparison.Ordinal),
        10 => body.Replace("\"sync_id\":", "\"sync\\u005fid\":", StringComparison.Ordinal),
        _ => body,
    };

    private static string Pick(Random random, params string[] choices) => choices[random.Next(choices.Length)];
}
