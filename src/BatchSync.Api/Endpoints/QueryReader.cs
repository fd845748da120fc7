using System.Globalization;

namespace BatchSync.Api.Endpoints;

/// <summary>
/// Reads an admin call's query parameters by hand, so that every one of the wrong type is a field
/// error in the envelope (all of them at once), never a bare 400 from the binder.
/// Instants are ISO 8601 (<c>2023-09-07T21:50:56.789Z</c>; an offset is converted to UTC; a time
/// without zone is taken as UTC); where Unix milliseconds were the form, they still are accepted.
/// </summary>
internal sealed class QueryReader(IQueryCollection query)
{
    private readonly Dictionary<string, string[]> _errors = [];

    public IReadOnlyDictionary<string, string[]>? Errors => _errors.Count == 0 ? null : _errors;

    public string? Text(string name) => query[name] is { Count: > 0 } values && values[^1] is { Length: > 0 } value ? value : null;

    public int? Int(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return Fail<int>(name, "must be a whole number");
    }

    public long? Long(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return Fail<long>(name, "must be a whole number");
    }

    /// <summary>An instant in ISO 8601; with <paramref name="unixMilliseconds"/>, also a plain integer of Unix milliseconds.</summary>
    public DateTime? Instant(string name, bool unixMilliseconds = false)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        if (unixMilliseconds && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
        {
            return ms is >= -62135596800000 and <= 253402300799999
                ? DateTime.UnixEpoch.AddMilliseconds(ms)
                : Fail<DateTime>(name, "is out of range");
        }

        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at.UtcDateTime;
        }

        return Fail<DateTime>(name, unixMilliseconds
            ? "must be an ISO 8601 instant such as 2023-09-07T21:50:56.789Z, or Unix milliseconds"
            : "must be an ISO 8601 instant such as 2023-09-07T21:50:56.789Z");
    }

    /// <summary>A calendar date, ISO 8601 (<c>yyyy-MM-dd</c>).</summary>
    public DateOnly? Date(string name)
    {
        if (Text(name) is not { } text)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : Fail<DateOnly>(name, "must be a date, yyyy-MM-dd");
    }

    /// <summary>The one paging scheme's <c>cursor</c>, or an older name for it that apps may still send.</summary>
    public string? Cursor(string? olderName = null) => Text("cursor") ?? (olderName is null ? null : Text(olderName));

    private T? Fail<T>(string name, string message)
        where T : struct
    {
        _errors[name] = [message];
        return null;
    }
}
