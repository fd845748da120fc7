using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// Turns validated records into <see cref="PreparedRecord"/>s, in log order, and hashes the part: work
/// done on the request's thread so the single writer only writes. A record's identity hash is 64-bit
/// XXH3 of its canonical JSON with numbers by value (<see cref="RecordIdentity"/>): it only has to tell
/// apart records of one device at one millisecond. The part's hash, which tells a resend from a
/// contradiction, is SHA-256 of the same bytes.
/// </summary>
internal static class PartPreparer
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (List<PreparedRecord> Records, string ContentHash) Prepare(
        IReadOnlyList<IncomingRecord> incoming,
        int partNumber,
        LogCalendar calendar)
    {
        var records = new List<PreparedRecord>(incoming.Count);
        using var partHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < incoming.Count; i++)
        {
            var record = incoming[i];
            var identity = record.IdentityJson;
            partHash.AppendData(identity);
            partHash.AppendData("\n"u8);
            records.Add(new PreparedRecord(
                record.ValidatedType,
                record.Timestamp,
                record.Json,
                (long)XxHash3.HashToUInt64(identity),
                calendar.LogDate(record.Timestamp),
                partNumber,
                i));
        }

        records.Sort(PreparedRecord.LogOrder);
        return (records, "sha256:" + Convert.ToHexStringLower(partHash.GetHashAndReset()));
    }
}
