using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>A <see cref="FakeTimeProvider"/> that also tells the test of each timer asked of it, and its due time.</summary>
internal sealed class WatchedClock : TimeProvider
{
    private readonly FakeTimeProvider _fake = new();
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = _fake.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>The due time of the next timer asked for (waiting for it to be asked).</summary>
    public Task<TimeSpan> NextTimerAsync() => _timers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
