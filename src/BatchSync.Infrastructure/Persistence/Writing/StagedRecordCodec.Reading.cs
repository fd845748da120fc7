using System.Buffers.Binary;
using BatchSync.Domain.Sync;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>What parts staged by an earlier server held besides their records, and the reader that walks a staged list.</summary>
internal sealed partial class StagedRecordCodec
{
    // Earlier layouts, read only. 3: after its JSON, a record held how many of its type's known fields
    // follow, then those in RecordSchema order; 2: layout 3 compressed. 1: compressed, and with no field
    // count: every field of the type then, which are the first ones of today's lists.
    private const byte WithFields = 3;
    private const byte WithFieldsCompressed = 2;
    private const byte FirstLayout = 1;
    private static readonly int[] FirstLayoutFields = [9, 6];

    /// <summary>
    /// The typed values an earlier layout kept after a record's JSON, as BinaryWriter wrote them: a
    /// required field bare, any other after a byte that says whether it has a value; a number as a
    /// double, a text as its UTF-8 length (7 bits a byte) and bytes.
    /// </summary>
    private static void SkipFields(ref ListReader reader, RecordType type, bool firstLayout)
    {
        var fields = RecordSchema.Of(type);
        var stored = firstLayout ? FirstLayoutFields[(int)type] : reader.Byte();
        if (stored > fields.Length)
        {
            throw new InvalidDataException($"A staged {type.WireName()} record has fields this server does not know.");
        }

        for (var f = 0; f < stored; f++)
        {
            if (!fields[f].Required && reader.Byte() == 0)
            {
                continue;
            }

            reader.Bytes(fields[f].Kind == FieldKind.Number ? sizeof(double) : reader.SevenBitLength());
        }
    }

    private static InvalidDataException Damaged() => new("A staged part is damaged.");

    /// <summary>Reads a list front to back; anything past its end is damage.</summary>
    private ref struct ListReader(ReadOnlySpan<byte> list)
    {
        private readonly ReadOnlySpan<byte> _list = list;
        private int _at;

        public readonly bool AtEnd => _at == _list.Length;

        public byte Byte() => Bytes(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Bytes(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Bytes(8));

        public ReadOnlySpan<byte> Bytes(int count)
        {
            if (count < 0 || count > _list.Length - _at)
            {
                throw Damaged();
            }

            var bytes = _list.Slice(_at, count);
            _at += count;
            return bytes;
        }

        public int SevenBitLength()
        {
            var length = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = Byte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return length;
                }
            }

            throw Damaged();
        }
    }
}
