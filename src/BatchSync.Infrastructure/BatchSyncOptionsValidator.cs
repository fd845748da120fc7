using BatchSync.Application.Common;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure;

internal sealed class BatchSyncOptionsValidator : IValidateOptions<BatchSyncOptions>
{
    /// <summary>A part is read whole into memory, and staged whole: past these it is not a part but a load test.</summary>
    public const long MostBodyBytes = 128L * 1024 * 1024;

    public const int MostBatchSize = 1_000_000;

    public ValidateOptionsResult Validate(string? name, BatchSyncOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("BatchSync:DataDirectory is required.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.LogTimeZone, out _))
        {
            failures.Add($"BatchSync:LogTimeZone '{options.LogTimeZone}' is not a known time zone.");
        }

        var limits = options.Limits;
        if (limits.MaxBatchSize < 1 || limits.MaxBatchParts < 1 || limits.MaxSyncSessions < 1 ||
            limits.TempRetentionHours < 1 || limits.MaxRequestBodyBytes < 1024 || limits.MaxRecordBytes < 256)
        {
            failures.Add("BatchSync:Limits must be positive (body at least 1024 bytes, record at least 256).");
        }

        if (limits.MaxRequestBodyBytes > MostBodyBytes || limits.MaxBatchSize > MostBatchSize)
        {
            failures.Add($"BatchSync:Limits:MaxRequestBodyBytes may be at most {MostBodyBytes} (128 MiB) and MaxBatchSize at most {MostBatchSize}: a part is read and staged whole.");
        }

        if (limits.CompletedRetentionDays < 1 || limits.MinFreeDiskMb < 0 || limits.StorageRetryAfterSeconds < 1)
        {
            failures.Add("BatchSync:Limits:CompletedRetentionDays and StorageRetryAfterSeconds must be at least 1, MinFreeDiskMb at least 0.");
        }

        if (limits.MaxOpenSyncsPerDevice < 1 || limits.SessionLimitRetryAfterSeconds < 1 ||
            limits.RequestsPerSecondPerToken < 1 || limits.RequestBurstPerToken < 1)
        {
            failures.Add("BatchSync:Limits: MaxOpenSyncsPerDevice, SessionLimitRetryAfterSeconds, RequestsPerSecondPerToken and RequestBurstPerToken must be at least 1.");
        }

        if (options.Audit.RetentionDays < 1)
        {
            failures.Add("BatchSync:Audit:RetentionDays must be at least 1.");
        }

        if (options.Maintenance.SweepIntervalSeconds < 1)
        {
            failures.Add("BatchSync:Maintenance:SweepIntervalSeconds must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
