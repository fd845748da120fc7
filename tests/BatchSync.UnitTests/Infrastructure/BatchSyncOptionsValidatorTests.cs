using BatchSync.Application.Common;
using BatchSync.Infrastructure;

namespace BatchSync.UnitTests.Infrastructure;

public class BatchSyncOptionsValidatorTests
{
    [Fact]
    public void Validate_TheDefaults_Succeed()
    {
        Assert.True(new BatchSyncOptionsValidator().Validate(null, new BatchSyncOptions()).Succeeded);
    }

    [Theory]
    [InlineData(BatchSyncOptionsValidator.MostBodyBytes, 100, true)]
    [InlineData(BatchSyncOptionsValidator.MostBodyBytes + 1, 100, false)]
    [InlineData(4 * 1024 * 1024, BatchSyncOptionsValidator.MostBatchSize, true)]
    [InlineData(4 * 1024 * 1024, BatchSyncOptionsValidator.MostBatchSize + 1, false)]
    public void Validate_APartLargerThanCanBeStaged_Fails(long bodyBytes, int batchSize, bool valid)
    {
        var options = new BatchSyncOptions();
        options.Limits.MaxRequestBodyBytes = bodyBytes;
        options.Limits.MaxBatchSize = batchSize;

        var result = new BatchSyncOptionsValidator().Validate(null, options);

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("MaxRequestBodyBytes may be at most", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
