using BatchSync.Application.Sync;

namespace BatchSync.Application.Abstractions;

/// <summary>
/// How a part's records are kept while their sync is open. Encoding runs on the request's thread, so
/// the single writer only stores bytes.
/// </summary>
public interface IStagedPartCodec
{
    byte[] Encode(IReadOnlyList<PreparedRecord> records);

    void Decode(byte[] payload, List<PreparedRecord> into);
}
