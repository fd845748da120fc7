namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>What an RFC 9530 <c>Content-Digest</c> header said about a body.</summary>
public enum DigestCheck
{
    /// <summary>No header, or only algorithms the server does not check (which RFC 9530 lets it ignore).</summary>
    Absent,

    /// <summary>Every sha-256 and sha-512 digest in the header matches the body.</summary>
    Verified,

    /// <summary>A sha-256 or sha-512 digest does not match the body.</summary>
    Mismatch,

    /// <summary>The header is not a structured-field dictionary of byte sequences.</summary>
    Malformed,
}
