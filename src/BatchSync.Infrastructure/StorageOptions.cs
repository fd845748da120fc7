namespace BatchSync.Infrastructure;

public enum StorageProvider
{
    /// <summary>One process, an embedded database file in the data folder.</summary>
    Sqlite,

    /// <summary>Any number of instances on one PostgreSQL database, sharing the data folder for the dated files.</summary>
    PostgreSQL,
}

/// <summary>The <c>BatchSync:Storage</c> section; the connection string is <c>ConnectionStrings:BatchSync</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "BatchSync:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>PostgreSQL's connection string, from <c>ConnectionStrings:BatchSync</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// From this many records on, a completion reaches PostgreSQL by binary COPY into a staging table;
    /// below, as arrays in one statement.
    /// </summary>
    public int CopyFromRecords { get; set; } = 2000;
}
