using BatchSync.Domain.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BatchSync.Infrastructure.Persistence.Configurations;

internal sealed class BatchPartConfiguration : IEntityTypeConfiguration<BatchPart>
{
    /// <summary>The staged records of a part until its sync completes; then null, the bookkeeping stays.</summary>
    public const string Payload = "payload";

    /// <summary>The earliest timestamp among the staged records: the merge of a completion reads the part once it gets there.</summary>
    public const string FirstTimestamp = "first_timestamp";

    public void Configure(EntityTypeBuilder<BatchPart> builder)
    {
        builder.ToTable("batch_parts");
        builder.HasKey(p => new { p.SyncId, p.PartNumber });
        builder.Property(p => p.SyncId).HasColumnName("sync_id").HasMaxLength(128);
        builder.Property(p => p.PartNumber).HasColumnName("part_number");
        builder.Property(p => p.RecordCount).HasColumnName("record_count");
        builder.Property(p => p.Checksum).HasColumnName("checksum").HasMaxLength(71);
        builder.Property(p => p.ContentHash).HasColumnName("content_hash").HasMaxLength(71);
        builder.Property(p => p.ReceivedAt).HasColumnName("received_at");
        builder.Property<byte[]?>(Payload).HasColumnName(Payload);
        builder.Property<long?>(FirstTimestamp).HasColumnName(FirstTimestamp);
    }
}
