namespace BatchSync.Application.Common;

/// <summary>The rule for <c>sync_id</c> and <c>device_id</c>, which become folder and file names.</summary>
public static class Identifiers
{
    public static bool IsValid(string id)
    {
        if (id.Length is 0 or > 128 || id is "." or "..")
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '@' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
