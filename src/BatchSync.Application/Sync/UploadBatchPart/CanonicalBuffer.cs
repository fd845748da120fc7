namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>A record's canonical JSON as it is written: a byte array that grows, reused record after record.</summary>
internal sealed class CanonicalBuffer
{
    private byte[] _bytes = new byte[512];

    public int Length { get; private set; }

    public void Clear() => Length = 0;

    public void Write(byte value)
    {
        if (Length == _bytes.Length)
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
        }

        _bytes[Length++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + bytes.Length));
        }

        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    public byte[] ToArray() => _bytes.AsSpan(0, Length).ToArray();
}
