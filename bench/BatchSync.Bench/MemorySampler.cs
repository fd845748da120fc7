using System.Globalization;

namespace BatchSync.Bench;

/// <summary>Samples a process's resident memory (VmRSS in /proc/PID/status) every 100 ms and keeps the largest.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKb = -1;

    private MemorySampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The largest VmRSS sampled so far, in MB; -1 where there is no /proc.</summary>
    public long PeakRssMb
    {
        get
        {
            var kb = Interlocked.Read(ref _peakKb);
            return kb < 0 ? -1 : kb / 1024;
        }
    }

    public static MemorySampler Start(int pid) => new(pid);

    /// <summary>A field of /proc/PID/status in kB (<c>VmRSS</c>, <c>VmHWM</c>); null when it cannot be read.</summary>
    public static long? StatusKb(int pid, string field)
    {
        try
        {
            var prefix = field + ":";
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stops sampling, after one last sample.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _loop;
            Sample();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        Sample();
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        if (StatusKb(_pid, "VmRSS") is { } kb && kb > Interlocked.Read(ref _peakKb))
        {
            Interlocked.Exchange(ref _peakKb, kb);
        }
    }
}
