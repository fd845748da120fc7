using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BatchSync.Api.ErrorHandling;

/// <summary>
/// Every instant the API answers with is ISO 8601 in UTC with milliseconds and <c>Z</c>
/// (<c>2023-09-07T21:51:02.120Z</c>): one form, sortable as text, whatever kind the value had.
/// </summary>
internal sealed class UtcInstantJsonConverter : JsonConverter<DateTime>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(ToUtc(value).ToString(Format, CultureInfo.InvariantCulture));

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
