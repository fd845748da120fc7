using System.Text.Json;
using BatchSync.Domain.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchSync.Infrastructure.Persistence.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasColumnName("id");
        builder.Property(t => t.Name).HasColumnName("name").HasMaxLength(64);
        builder.Property(t => t.Role).HasColumnName("role").HasMaxLength(16).HasConversion<string>();
        builder.Property(t => t.Devices)
            .HasColumnName("devices")
            .HasConversion(
                d => JsonSerializer.Serialize(d, PersistenceJsonContext.Default.IReadOnlyListString),
                json => JsonSerializer.Deserialize(json, PersistenceJsonContext.Default.IReadOnlyListString) ?? Array.Empty<string>(),
                new ValueComparer<IReadOnlyList<string>>(
                    (a, b) => a!.SequenceEqual(b!),
                    d => d.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))),
                    d => d.ToList()));
        builder.Property(t => t.Sha256).HasColumnName("sha256").HasMaxLength(64);
        builder.Property(t => t.CreatedAt).HasColumnName("created_at");
        builder.Property(t => t.LastUsedAt).HasColumnName("last_used_at");
        builder.Property(t => t.RevokedAt).HasColumnName("revoked_at");
        builder.Ignore(t => t.IsRevoked);
        builder.HasIndex(t => t.Name).IsUnique();
        builder.HasIndex(t => t.Sha256).IsUnique();
    }
}
