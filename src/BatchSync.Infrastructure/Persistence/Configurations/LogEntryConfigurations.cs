using BatchSync.Domain.Logs;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchSync.Infrastructure.Persistence.Configurations;

internal static class LogEntryColumns
{
    /// <summary>
    /// The columns every log table shares, and one per known field of the type (a property by the
    /// column's name, read in queries with <c>EF.Property</c>); the unique key is the record's identity.
    /// </summary>
    public static void Configure<T>(EntityTypeBuilder<T> builder, RecordType type)
        where T : LogEntry
    {
        builder.ToTable(LogTables.Of(type));
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.DeviceId).HasColumnName("device_id").HasMaxLength(128);
        builder.Property(e => e.UserName).HasColumnName("user_name").HasMaxLength(128);
        builder.Property(e => e.SyncId).HasColumnName("sync_id").HasMaxLength(128);
        builder.Property(e => e.LogDate).HasColumnName("log_date");
        builder.Property(e => e.Timestamp).HasColumnName("timestamp");
        builder.Property(e => e.ContentHash).HasColumnName("content_hash");
        builder.Property(e => e.Data).HasColumnName("data");
        foreach (var field in RecordSchema.Of(type))
        {
            var clrType = field.Kind == FieldKind.Text ? typeof(string) : field.Required ? typeof(double) : typeof(double?);
            var column = builder.Property(clrType, field.Column).HasColumnName(field.Column).IsRequired(field.Required);
            if (field.MaxLength is { } length)
            {
                column.HasMaxLength(length);
            }
        }

        builder.HasIndex(e => new { e.DeviceId, e.Timestamp, e.ContentHash }).IsUnique();
    }
}

internal sealed class LocationLogEntryConfiguration : IEntityTypeConfiguration<LocationLogEntry>
{
    public void Configure(EntityTypeBuilder<LocationLogEntry> builder) => LogEntryColumns.Configure(builder, RecordType.Location);
}

internal sealed class DrivingLogEntryConfiguration : IEntityTypeConfiguration<DrivingLogEntry>
{
    public void Configure(EntityTypeBuilder<DrivingLogEntry> builder) => LogEntryColumns.Configure(builder, RecordType.Driving);
}

internal sealed class LogFileOutboxConfiguration : IEntityTypeConfiguration<LogFileOutboxEntry>
{
    public void Configure(EntityTypeBuilder<LogFileOutboxEntry> builder)
    {
        builder.ToTable("log_file_outbox");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.LogType).HasColumnName("log_type").HasMaxLength(16);
        builder.Property(e => e.DeviceId).HasColumnName("device_id").HasMaxLength(128);
        builder.Property(e => e.LogDate).HasColumnName("log_date");
    }
}
