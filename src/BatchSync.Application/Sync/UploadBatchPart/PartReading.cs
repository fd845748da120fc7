namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>The top-level fields of an upload body.</summary>
[Flags]
public enum PartFields
{
    None = 0,
    SyncId = 1 << 0,
    DeviceId = 1 << 1,
    UserName = 1 << 2,
    PartNumber = 1 << 3,
    TotalParts = 1 << 4,
    Records = 1 << 5,
    Checksum = 1 << 6,
}

/// <summary>
/// What <see cref="BatchPartReader"/> found in a body besides the values. Each rule has one owner: the
/// reader names what came with the wrong JSON type (<see cref="Errors"/>, by wire path); the validator
/// says "is required" of what did not come (not in <see cref="Sent"/>) and checks the values it could
/// read (in <see cref="Read"/>).
/// </summary>
/// <param name="Sent">Fields present and not JSON null.</param>
/// <param name="Read">Fields present with the right JSON type: their values are what was sent.</param>
/// <param name="Errors">Fields of the wrong JSON type, the records' included (<c>records[3].latitude</c>).</param>
public sealed record PartReading(PartFields Sent, PartFields Read, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool Came(PartFields field) => (Sent & field) == field;
}
