using BatchSync.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>The EF model is what the migrations of each provider create.</summary>
public class SchemaModelTests
{
    [Fact]
    public void Sqlite_ModelHasNoChangesTheMigrationsLack()
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void PostgreSql_ModelHasNoChangesTheMigrationsLack()
    {
        using var db = new PostgresDesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges());
    }
}
