using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace BatchSync.Application.Sync;

/// <summary>
/// What makes two records the same (ADR 005): their canonical JSON with every number written from its
/// value, not its spelling, so <c>15</c>, <c>15.0</c> and <c>1.5e1</c> are one record, as are
/// <c>32.5</c> and <c>32.50</c>. Integers keep every digit (beyond 2^53 too); other numbers are the
/// double they denote, as any JSON client reads them. The stored line keeps the numbers as first sent.
/// </summary>
public static partial class RecordIdentity
{
    /// <summary>The 64-bit identity hash of a record's canonical JSON (the <c>content_hash</c> column).</summary>
    public static long Hash(ReadOnlySpan<byte> canonicalJson) => (long)XxHash3.HashToUInt64(Json(canonicalJson));

    /// <summary>The canonical JSON with numbers in their one form; the same bytes when every number already is.</summary>
    public static ReadOnlySpan<byte> Json(ReadOnlySpan<byte> canonicalJson) => Json(canonicalJson, new ArrayBufferWriter<byte>());

    /// <summary>As <see cref="Json(ReadOnlySpan{byte})"/>, rewriting into <paramref name="buffer"/>, valid until its next use.</summary>
    public static ReadOnlySpan<byte> Json(ReadOnlySpan<byte> canonicalJson, ArrayBufferWriter<byte> buffer)
    {
        // One pass: nothing is copied until the first number that is not in its one form, and the same
        // bytes come back when there is none. Everything but the numbers is copied byte for byte: names
        // and strings are already in their one form.
        var reader = new Utf8JsonReader(canonicalJson);
        var copied = -1;
        Span<byte> quick = stackalloc byte[32];
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Number || IsInItsOneForm(reader.ValueSpan))
            {
                continue;
            }

            if (copied < 0)
            {
                buffer.ResetWrittenCount();
                copied = 0;
            }

            var start = (int)reader.TokenStartIndex;
            buffer.Write(canonicalJson[copied..start]);
            buffer.Write(OneForm(reader.ValueSpan, quick));
            copied = start + reader.ValueSpan.Length;
        }

        if (copied < 0)
        {
            return canonicalJson;
        }

        buffer.Write(canonicalJson[copied..]);
        return buffer.WrittenSpan;
    }

    /// <summary>
    /// Writes a number token's one form to <paramref name="into"/> and returns true, unless it is written in
    /// it already (what phones send nearly always). A record's identity is its canonical JSON with each
    /// number so rewritten.
    /// </summary>
    public static bool TryOneForm(ReadOnlySpan<byte> number, ArrayBufferWriter<byte> into)
    {
        if (IsInItsOneForm(number))
        {
            return false;
        }

        Span<byte> quick = stackalloc byte[32];
        into.Write(OneForm(number, quick));
        return true;
    }

    /// <summary>The one form of a number not in it, in <paramref name="quick"/> when it is short.</summary>
    private static ReadOnlySpan<byte> OneForm(ReadOnlySpan<byte> number, Span<byte> quick) =>
        TryQuickForm(number, quick, out var written) ? quick[..written] : Encoding.ASCII.GetBytes(Number(number));
}
