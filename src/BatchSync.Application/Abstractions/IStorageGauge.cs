namespace BatchSync.Application.Abstractions;

/// <summary>Free space where the server keeps its data.</summary>
public interface IStorageGauge
{
    /// <summary>Bytes free to the server in the data folder's file system.</summary>
    long AvailableBytes();
}

/// <summary>
/// A write failed because the storage is full (SQLite's "database or disk is full", ENOSPC or a quota
/// on a file). What the write began was undone; the same request may succeed once space is back.
/// </summary>
public sealed class StorageFullException : Exception
{
    public StorageFullException()
        : base("The server's storage is full.")
    {
    }

    public StorageFullException(string message)
        : base(message)
    {
    }

    public StorageFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The database cannot be reached (the connection was lost, the server restarts). What the write began
/// was undone; the same request may succeed once the database is back.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : base("The database cannot be reached.")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
