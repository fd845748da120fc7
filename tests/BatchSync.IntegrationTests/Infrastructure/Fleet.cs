using System.Text.Json.Nodes;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>One sync as a phone would send it: its records, cut into numbered parts.</summary>
internal sealed record PlannedSync(string DeviceId, string SyncId, IReadOnlyList<JsonObject> Records, IReadOnlyList<string> Parts);

/// <summary>
/// Simulated phones, each with several syncs: later ones carry newer records (the files are appended
/// to), some carry records older than what is stored (the files are rewritten), and some repeat records
/// of an earlier sync under a new sync_id (as the seed's client does when it retries a whole sync).
/// </summary>
internal sealed class Fleet
{
    private Fleet(IReadOnlyList<string> devices, IReadOnlyList<PlannedSync> syncs)
    {
        Devices = devices;
        Syncs = syncs;
    }

    public IReadOnlyList<string> Devices { get; }

    public IReadOnlyList<PlannedSync> Syncs { get; }

    public IEnumerable<JsonObject> RecordsOf(string deviceId) =>
        Syncs.Where(s => s.DeviceId == deviceId).SelectMany(s => s.Records);

    public static Fleet Create(string prefix, int devices, int syncsPerDevice, int partsPerSync, int recordsPerPart, int seed)
    {
        var random = new Random(seed);
        var ids = Enumerable.Range(0, devices).Select(_ => SyncData.NewId(prefix)).ToList();
        var syncs = new List<PlannedSync>();
        var perSync = partsPerSync * recordsPerPart;
        foreach (var device in ids)
        {
            var previous = new List<JsonObject>();
            for (var s = 0; s < syncsPerDevice; s++)
            {
                // Every third sync goes back in time; the others move forward by one sync's span.
                var start = s % 3 == 2
                    ? SyncData.Start + (s * perSync * 1000L) - (perSync * 1500L) + 500
                    : SyncData.Start + (s * perSync * 1000L);
                var records = SyncData.Records(perSync, start, 1000, latitude: 30 + random.NextDouble());
                if (s % 4 == 3 && previous.Count > 0)
                {
                    records[0] = (JsonObject)previous[^1].DeepClone(); // a record sent before, again
                }

                var syncId = SyncData.NewId(device);
                syncs.Add(new PlannedSync(device, syncId, records, SyncData.Parts(syncId, device, records, recordsPerPart)));
                previous = records;
            }
        }

        return new Fleet(ids, syncs);
    }
}
