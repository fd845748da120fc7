using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using BatchSync.Application.Sync;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Rows written straight in PostgreSQL's binary COPY format into a pooled buffer that goes to the server
/// when full: a record's canonical JSON is copied as the UTF-8 it already is, and a row costs no object and
/// no awaited call of its own (the importer's typed writes, a parameter and an await for every field, took
/// more of a big completion's time than the merge that fed them). The format: a header, then per row the
/// count of fields and each field as its length and bytes (big-endian integers, a date as days since
/// 2000-01-01, text as UTF-8), then a trailer.
/// </summary>
internal sealed class PostgresCopyRows : IAsyncDisposable
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly int PostgresEpoch = new DateOnly(2000, 1, 1).DayNumber;

    private readonly NpgsqlRawCopyStream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _used;
    private bool _done;

    private PostgresCopyRows(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        Header.CopyTo(_buffer, 0);
        _used = Header.Length;
    }

    /// <summary>Starts <paramref name="copyCommand"/>, a <c>COPY ... FROM STDIN (FORMAT BINARY)</c>.</summary>
    public static async Task<PostgresCopyRows> BeginAsync(NpgsqlConnection connection, string copyCommand, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(copyCommand, cancellationToken));

    /// <summary>A text column's value that every row repeats, encoded once.</summary>
    public static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>The device's, user's and sync's columns, then the record's own: log date, timestamp, content hash, JSON.</summary>
    public ValueTask WriteAsync(byte[] deviceId, byte[] userName, byte[] syncId, PreparedRecord record, CancellationToken cancellationToken)
    {
        var length = 2 + (3 * 4) + deviceId.Length + userName.Length + syncId.Length + RecordLength(record);
        if (!Fits(length))
        {
            return FlushThenAsync(length, () => WriteAsync(deviceId, userName, syncId, record, cancellationToken), cancellationToken);
        }

        Int16(7);
        Bytes(deviceId);
        Bytes(userName);
        Bytes(syncId);
        Record(record);
        return ValueTask.CompletedTask;
    }

    /// <summary>The row's place in the completion, then the record's own columns: log date, timestamp, content hash, JSON.</summary>
    public ValueTask WriteAsync(int ordinal, PreparedRecord record, CancellationToken cancellationToken)
    {
        var length = 2 + 4 + 4 + RecordLength(record);
        if (!Fits(length))
        {
            return FlushThenAsync(length, () => WriteAsync(ordinal, record, cancellationToken), cancellationToken);
        }

        Int16(5);
        Int32(4);
        Int32(ordinal);
        Record(record);
        return ValueTask.CompletedTask;
    }

    /// <summary>Ends the COPY: the trailer, and the server's answer that every row is in.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (!Fits(2))
        {
            await FlushAsync(2, cancellationToken);
        }

        Int16(-1);
        await FlushAsync(0, cancellationToken);
        _done = true;
        await _stream.DisposeAsync();
    }

    /// <summary>Without <see cref="CompleteAsync"/>, the COPY is cancelled: none of its rows are added.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_done)
            {
                _done = true;
                await _stream.CancelAsync();
                await _stream.DisposeAsync();
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            // The connection broke (Npgsql closes the COPY with it): the failure that stopped the rows is
            // the one to report, and the transaction they were in is lost with the connection.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private static int RecordLength(PreparedRecord record) => (4 * 4) + 4 + 8 + 8 + record.Json.Length;

    private bool Fits(int length) => _used + length <= _buffer.Length;

    private async ValueTask FlushThenAsync(int length, Func<ValueTask> write, CancellationToken cancellationToken)
    {
        await FlushAsync(length, cancellationToken);
        await write();
    }

    /// <summary>Sends what the buffer holds; a row longer than the buffer gets a buffer it fits.</summary>
    private async ValueTask FlushAsync(int next, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.AsMemory(0, _used), cancellationToken);
        _used = 0;
        if (next > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(next);
        }
    }

    private void Record(PreparedRecord record)
    {
        Int32(4);
        Int32(record.LogDate.DayNumber - PostgresEpoch);
        Int32(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_used), record.Timestamp);
        _used += 8;
        Int32(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_used), record.ContentHash);
        _used += 8;
        Bytes(record.Json);
    }

    private void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        value.CopyTo(_buffer.AsSpan(_used));
        _used += value.Length;
    }

    private void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_used), value);
        _used += 2;
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_used), value);
        _used += 4;
    }
}
