using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>A result code of SQLite called on its raw handle, turned into ADO.NET's exception when it is not OK.</summary>
internal static class SqliteResult
{
    public static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(db));
        }
    }
}
