using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>For <c>dotnet ef migrations add</c>: the model without starting the server.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BatchSyncDbContext>
{
    public BatchSyncDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BatchSyncDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add --context PostgresBatchSyncDbContext</c>: no server is contacted.</summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresBatchSyncDbContext>
{
    public PostgresBatchSyncDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBatchSyncDbContext>().UseNpgsql("Host=localhost;Database=batchsync").Options);
}
