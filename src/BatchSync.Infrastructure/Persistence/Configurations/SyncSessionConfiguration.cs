using System.Text.Json;
using BatchSync.Domain.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchSync.Infrastructure.Persistence.Configurations;

internal sealed class SyncSessionConfiguration : IEntityTypeConfiguration<SyncSession>
{
    public void Configure(EntityTypeBuilder<SyncSession> builder)
    {
        builder.ToTable("sync_sessions");
        builder.HasKey(s => s.SyncId);
        builder.Property(s => s.SyncId).HasColumnName("sync_id").HasMaxLength(128);
        builder.Property(s => s.DeviceId).HasColumnName("device_id").HasMaxLength(128);
        builder.Property(s => s.UserName).HasColumnName("user_name").HasMaxLength(128);
        builder.Property(s => s.TotalParts).HasColumnName("total_parts");
        builder.Property(s => s.Status).HasColumnName("status").HasMaxLength(16);
        builder.Property(s => s.CreatedAt).HasColumnName("created_at");
        builder.Property(s => s.UpdatedAt).HasColumnName("updated_at");
        builder.Property(s => s.CompletedAt).HasColumnName("completed_at");
        builder.Property(s => s.Completion)
            .HasColumnName("completion")
            .HasConversion(
                c => CompletionJson.Serialize(c),
                json => CompletionJson.Deserialize(json));
        builder.Ignore(s => s.IsComplete);
        builder.HasMany(s => s.Parts).WithOne().HasForeignKey(p => p.SyncId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(s => s.Parts).HasField("_parts").UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.HasIndex(s => new { s.DeviceId, s.Status });
        builder.HasIndex(s => new { s.Status, s.UpdatedAt });
    }
}

/// <summary>The stored form of a <see cref="CompletionSummary"/>; the writer's SQL uses it too.</summary>
internal static class CompletionJson
{
    public static string? Serialize(CompletionSummary? summary) =>
        summary is null ? null : JsonSerializer.Serialize(summary, PersistenceJsonContext.Default.CompletionSummary);

    public static CompletionSummary? Deserialize(string? json) =>
        json is null ? null : JsonSerializer.Deserialize(json, PersistenceJsonContext.Default.CompletionSummary);
}
