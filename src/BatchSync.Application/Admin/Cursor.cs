using System.Buffers.Text;
using System.Text;

namespace BatchSync.Application.Admin;

/// <summary>
/// The admin API's one paging scheme: a list answers <c>next_cursor</c> (null at the end), and the
/// next page is asked for with <c>cursor</c>. A cursor is opaque to clients: the key of the last item
/// seen, so a page is found by the index, as fast deep in a list as at its start.
/// </summary>
internal static class Cursor
{
    public static string Encode(params string[] key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', key)));

    /// <summary>The key's parts, or null when the text is not a cursor of <paramref name="parts"/> parts.</summary>
    public static string[]? Decode(string? cursor, int parts)
    {
        if (cursor is null || !Base64Url.IsValid(cursor))
        {
            return null;
        }

        var key = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('\n');
        return key.Length == parts ? key : null;
    }

    public static bool IsValid(string? cursor, int parts) => cursor is null || Decode(cursor, parts) is not null;
}
