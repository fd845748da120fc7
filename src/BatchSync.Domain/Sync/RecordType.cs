namespace BatchSync.Domain.Sync;

public enum RecordType
{
    Location,
    Driving,
}

public static class RecordTypes
{
    /// <summary>The wire names, for a message: <c>location or driving</c>.</summary>
    public static readonly string Names = string.Join(" or ", Enum.GetValues<RecordType>().Select(t => t.WireName()));

    /// <summary>The wire name of a record type, also the folder name of its dated log files.</summary>
    public static string WireName(this RecordType type) => type switch
    {
        RecordType.Location => "location",
        RecordType.Driving => "driving",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool TryParse(string? wireName, out RecordType type)
    {
        switch (wireName)
        {
            case "location":
                type = RecordType.Location;
                return true;
            case "driving":
                type = RecordType.Driving;
                return true;
            default:
                type = default;
                return false;
        }
    }
}
