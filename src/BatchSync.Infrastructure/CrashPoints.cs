using System.Diagnostics;

namespace BatchSync.Infrastructure;

/// <summary>
/// Fault injection for the crash tests. With <c>BatchSync:Testing:CrashAt</c> set to <c>point:n</c>, the
/// process kills itself (SIGKILL: no flush, no finally) the n-th time it reaches that point, so a test
/// can stop the server at an exact instant of a write. Unset, as in production, a point is one
/// volatile read.
/// </summary>
internal static class CrashPoints
{
    /// <summary>Writer: a group that completes a sync has done its work, nothing is committed.</summary>
    public const string BeforeCommit = "completion-before-commit";

    /// <summary>Writer: a group that completed a sync is committed, its dated files not yet handed over.</summary>
    public const string AfterCommit = "completion-after-commit";

    /// <summary>A completion's rows are inserted, nothing committed.</summary>
    public const string CompletionInserted = "completion-inserted";

    /// <summary>Half a line appended to a dated file and handed to the kernel.</summary>
    public const string FileAppendHalfLine = "file-append-half-line";

    /// <summary>Half of a file's rewrite written to its temporary file.</summary>
    public const string FileRewriteHalfway = "file-rewrite-halfway";

    /// <summary>Dated files flushed to disk, their outbox rows not yet deleted.</summary>
    public const string FilesFlushed = "files-flushed";

    private static volatile string? _point;
    private static int _remaining;

    public static void Arm(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            _point = null;
            return;
        }

        var colon = spec.LastIndexOf(':');
        var count = colon > 0 && int.TryParse(spec.AsSpan(colon + 1), out var n) ? n : 1;
        _remaining = count;
        _point = colon > 0 ? spec[..colon] : spec;
    }

    /// <summary>Whether any point is armed (so a caller may skip building what <see cref="Reach"/> would run).</summary>
    public static bool Armed => _point is not null;

    /// <summary>
    /// Counts a visit to <paramref name="point"/>; on the armed visit, runs <paramref name="beforeDying"/>
    /// (to leave a write half done) and the process dies here.
    /// </summary>
    public static void Reach(string point, Action? beforeDying = null)
    {
        if (_point != point || Interlocked.Decrement(ref _remaining) != 0)
        {
            return;
        }

        beforeDying?.Invoke();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
