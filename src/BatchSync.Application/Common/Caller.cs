namespace BatchSync.Application.Common;

public enum CallerRole
{
    Device,
    Admin,
}

/// <summary>
/// Who is calling, as the bearer token says: its name (never the token), its role, and the devices
/// it may write and read (<c>null</c>: every device).
/// </summary>
public sealed record Caller(string TokenName, CallerRole Role, IReadOnlySet<string>? Devices)
{
    public bool MayAccess(string deviceId) =>
        Role == CallerRole.Admin || Devices is null || Devices.Contains(deviceId);
}
