using System.Security.Cryptography;
using BatchSync.Api.Endpoints;
using BatchSync.Application.Sync.UploadBatchPart;

namespace BatchSync.UnitTests.Api;

public class ContentDigestTests
{
    private static readonly byte[] Body = """{"records":[]}"""u8.ToArray();
    private static readonly string Sha256 = Convert.ToBase64String(SHA256.HashData(Body));
    private static readonly string Sha512 = Convert.ToBase64String(SHA512.HashData(Body));

    [Theory]
    [InlineData(null, DigestCheck.Absent)]
    [InlineData("", DigestCheck.Absent)]
    [InlineData("md5=:AAAA:", DigestCheck.Absent)]
    [InlineData("sha-256", DigestCheck.Malformed)]
    [InlineData("sha-256=abc", DigestCheck.Malformed)]
    [InlineData("sha-256=:not base64!:", DigestCheck.Malformed)]
    [InlineData("sha-256=:AAAA:", DigestCheck.Mismatch)]
    public void Verify_HeaderForms(string? header, DigestCheck expected) =>
        Assert.Equal(expected, ContentDigest.Verify(header, (ReadOnlyMemory<byte>)Body));

    [Fact]
    public void Verify_EverySupportedAlgorithmChecked_UnknownOnesAndParametersIgnored()
    {
        Assert.Equal(DigestCheck.Verified, ContentDigest.Verify($"sha-256=:{Sha256}:", (ReadOnlyMemory<byte>)Body));
        Assert.Equal(DigestCheck.Verified, ContentDigest.Verify($"unixsum=:AAAA:, SHA-512=:{Sha512}:;x=1 , sha-256=:{Sha256}:", (ReadOnlyMemory<byte>)Body));
        Assert.Equal(DigestCheck.Mismatch, ContentDigest.Verify($"sha-512=:{Sha512}:, sha-256=:{Sha512}:", (ReadOnlyMemory<byte>)Body));
    }
}
