using BatchSync.Domain.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchSync.Infrastructure.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.At).HasColumnName("at");
        builder.Property(e => e.Outcome).HasColumnName("outcome").HasMaxLength(16);
        builder.Property(e => e.Status).HasColumnName("status");
        builder.Property(e => e.RequestId).HasColumnName("request_id").HasMaxLength(64);
        builder.Property(e => e.TokenName).HasColumnName("token_name").HasMaxLength(64);
        builder.Property(e => e.RemoteAddress).HasColumnName("remote_address").HasMaxLength(64);
        builder.Property(e => e.Method).HasColumnName("method").HasMaxLength(8);
        builder.Property(e => e.Path).HasColumnName("path").HasMaxLength(256);
        builder.Property(e => e.DeviceId).HasColumnName("device_id").HasMaxLength(128);
        builder.Property(e => e.UserName).HasColumnName("user_name").HasMaxLength(128);
        builder.Property(e => e.SyncId).HasColumnName("sync_id").HasMaxLength(128);
        builder.Property(e => e.PartNumber).HasColumnName("part_number");
        builder.Property(e => e.Reason).HasColumnName("reason").HasMaxLength(512);
        builder.HasIndex(e => e.At);
        builder.HasIndex(e => new { e.DeviceId, e.At });
    }
}
