using System.Diagnostics;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>Waits for background work (a retry, a sweep) to show its effect, failing after a deadline.</summary>
internal static class Eventually
{
    public static Task True(Func<bool> condition, TimeSpan within, string? because = null) =>
        True(() => Task.FromResult(condition()), within, because);

    public static async Task True(Func<Task<bool>> condition, TimeSpan within, string? because = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > within)
            {
                Assert.Fail($"Not true within {within.TotalSeconds:F0} s{(because is null ? "" : ": " + because)}");
            }

            await Task.Delay(50);
        }
    }
}
