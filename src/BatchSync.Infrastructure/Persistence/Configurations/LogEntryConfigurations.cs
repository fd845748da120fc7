using BatchSync.Domain.Logs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchSync.Infrastructure.Persistence.Configurations;

internal static class LogEntryColumns
{
    /// <summary>The columns every log table shares; the unique key is the record's identity.</summary>
    public static void Configure<T>(EntityTypeBuilder<T> builder, string table)
        where T : LogEntry
    {
        builder.ToTable(table);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.DeviceId).HasColumnName("device_id").HasMaxLength(128);
        builder.Property(e => e.UserName).HasColumnName("user_name").HasMaxLength(128);
        builder.Property(e => e.SyncId).HasColumnName("sync_id").HasMaxLength(128);
        builder.Property(e => e.LogDate).HasColumnName("log_date");
        builder.Property(e => e.Timestamp).HasColumnName("timestamp");
        builder.Property(e => e.ContentHash).HasColumnName("content_hash");
        builder.Property(e => e.Speed).HasColumnName("speed");
        builder.Property(e => e.Bearing).HasColumnName("bearing");
        builder.Property(e => e.Data).HasColumnName("data");
        builder.HasIndex(e => new { e.DeviceId, e.Timestamp, e.ContentHash }).IsUnique();
    }
}

internal sealed class LocationLogEntryConfiguration : IEntityTypeConfiguration<LocationLogEntry>
{
    public void Configure(EntityTypeBuilder<LocationLogEntry> builder)
    {
        LogEntryColumns.Configure(builder, "location_logs");
        builder.Property(e => e.Latitude).HasColumnName("latitude");
        builder.Property(e => e.Longitude).HasColumnName("longitude");
        builder.Property(e => e.Accuracy).HasColumnName("accuracy");
        builder.Property(e => e.Altitude).HasColumnName("altitude");
        builder.Property(e => e.BatteryLevel).HasColumnName("battery_level");
        builder.Property(e => e.NetworkType).HasColumnName("network_type").HasMaxLength(64);
        builder.Property(e => e.Provider).HasColumnName("provider").HasMaxLength(64);
    }
}

internal sealed class DrivingLogEntryConfiguration : IEntityTypeConfiguration<DrivingLogEntry>
{
    public void Configure(EntityTypeBuilder<DrivingLogEntry> builder)
    {
        LogEntryColumns.Configure(builder, "driving_logs");
        builder.Property(e => e.EventType).HasColumnName("event_type").HasMaxLength(64);
        builder.Property(e => e.Latitude).HasColumnName("latitude");
        builder.Property(e => e.Longitude).HasColumnName("longitude");
        builder.Property(e => e.Accuracy).HasColumnName("accuracy");
    }
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
