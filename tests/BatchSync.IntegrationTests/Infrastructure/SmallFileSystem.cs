using System.Diagnostics;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// A real, small file system (tmpfs with a size limit) mounted for one test, so "disk full" is the
/// kernel's ENOSPC and SQLite's SQLITE_FULL, not a mock. Mounting needs root (CI runs as root).
/// </summary>
internal sealed class SmallFileSystem : IDisposable
{
    private readonly string _ballast;

    public SmallFileSystem(string path, int megabytes)
    {
        Path = path;
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", $"-t tmpfs -o size={megabytes}m batchsync-test {path}");
        if (code != 0)
        {
            throw new InvalidOperationException(Needs.Explain(
                Needs.Root, $"Could not mount a {megabytes} MB tmpfs at {path}: this test fills a real file system", output.Trim()));
        }

        _ballast = System.IO.Path.Combine(path, "ballast.bin");
    }

    public string Path { get; }

    public long Available => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>
    /// Takes all but about <paramref name="leaveFree"/> bytes of the free space. The server may be writing
    /// to the same file system meanwhile, so the space is measured as it goes, and a disk that fills
    /// first simply ends the filling.
    /// </summary>
    public void Fill(long leaveFree)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)0x5A);
        using var file = new FileStream(_ballast, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            long toWrite;
            while ((toWrite = Available - leaveFree) > 0)
            {
                file.Write(chunk, 0, (int)Math.Min(chunk.Length, toWrite));
            }
        }
        catch (IOException e) when (e.HResult == 28)
        {
            // Full already: the server took the last of it.
        }
    }

    public void Free() => File.Delete(_ballast);

    public void Dispose()
    {
        // Lazy: a pooled SQLite connection may still hold a file open; the kernel detaches it when closed.
        Run("umount", $"-l {Path}");
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Detached lazily; the empty folder is left in the temp folder.
        }
    }

    private static (int Code, string Output) Run(string command, string arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var output = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
