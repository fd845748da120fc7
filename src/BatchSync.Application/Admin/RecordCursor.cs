using System.Globalization;
using System.Text;

namespace BatchSync.Application.Admin;

/// <summary>Where a page of records ended: the last (timestamp, row id) seen.</summary>
internal static class RecordCursor
{
    public static string Encode(long timestamp, long id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{timestamp}:{id}")));

    public static bool TryDecode(string? cursor, out long timestamp, out long id)
    {
        (timestamp, id) = (0, 0);
        if (cursor is null)
        {
            return true;
        }

        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(cursor)).Split(':');
            return parts.Length == 2 &&
                   long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out timestamp) &&
                   long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
