using System.Threading.Channels;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// The new lines of a completion too large to hold in memory, written to files of their own in the
/// data folder's <c>spill/</c> while the completion inserts its rows: one file per dated file, written
/// on a task of its own from chunks the writer hands over (the writer never waits for the disk, only,
/// when the task falls behind, for room in a few chunks), and synced every few megabytes, so the disk
/// works while the writer does. Once the completion is committed, the file writer renames a spill into
/// place or copies it onto the dated file's end (<see cref="SpilledLines"/>). What a killed server left
/// here is removed at start.
/// </summary>
internal sealed class LineSpill
{
    private const int ChunkLines = 4096;
    private const long SyncBytes = 16 * 1024 * 1024;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Channel<List<(int File, byte[] Line)>> _chunks = Channel.CreateBounded<List<(int File, byte[] Line)>>(
        new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
    private readonly List<(string Path, FileStream Stream)> _files = [];
    private readonly string _folder;
    private readonly Task _writing;
    private List<(int File, byte[] Line)> _chunk = new(ChunkLines);
    private bool _complete;

    public LineSpill(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        _writing = Task.Factory.StartNew(Write, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Removes what a killed server left in the folder: its completions were not answered, or their files are owed.</summary>
    public static void RemoveLeftovers(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A spill in the folder, or null when the folder cannot be had (its completion's files are then rewritten from the tables).</summary>
    public static LineSpill? TryStart(string folder)
    {
        try
        {
            return new LineSpill(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A new spill file, or null when it cannot be created; its lines are added through what it returns.</summary>
    public SpilledLines? TryOpen()
    {
        try
        {
            return Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A new spill file; its lines are added through what it returns.</summary>
    public SpilledLines Open()
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.jsonl");
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 64 * 1024);
        lock (_files)
        {
            _files.Add((path, stream));
            return new SpilledLines(this, _files.Count - 1, path);
        }
    }

    public void Add(SpilledLines file, byte[] line)
    {
        _chunk.Add((file.Index, line));
        if (_chunk.Count == ChunkLines)
        {
            Hand(_chunk);
            _chunk = new List<(int File, byte[] Line)>(ChunkLines);
        }
    }

    /// <summary>No more lines: the rest is written and synced on the spill's task.</summary>
    public void Complete()
    {
        if (_complete)
        {
            return;
        }

        _complete = true;
        if (_chunk.Count > 0)
        {
            Hand(_chunk);
        }

        _chunks.Writer.Complete();
    }

    private void Hand(List<(int File, byte[] Line)> chunk)
    {
        if (!_chunks.Writer.TryWrite(chunk))
        {
            _chunks.Writer.WriteAsync(chunk).AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Waits until every line is written and synced; throws what stopped the writing.</summary>
    public void Finish()
    {
        Complete();
        _writing.GetAwaiter().GetResult();
    }

    private void Write()
    {
        var unsynced = new long[16];
        Exception? failure = null;
        while (_chunks.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            if (!_chunks.Reader.TryRead(out var chunk))
            {
                continue;
            }

            if (failure is not null)
            {
                continue; // Drained, so the writer never waits on a spill that failed.
            }

            try
            {
                FileStream[] files;
                lock (_files)
                {
                    files = [.. _files.Select(f => f.Stream)];
                }

                if (unsynced.Length < files.Length)
                {
                    Array.Resize(ref unsynced, files.Length * 2);
                }

                foreach (var (file, line) in chunk)
                {
                    files[file].Write(line);
                    files[file].Write(NewLine);
                    unsynced[file] += line.Length + 1;
                    if (unsynced[file] >= SyncBytes)
                    {
                        files[file].Flush(flushToDisk: true);
                        unsynced[file] = 0;
                    }
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        }

        lock (_files)
        {
            foreach (var (_, stream) in _files)
            {
                try
                {
                    if (failure is null)
                    {
                        stream.Flush(flushToDisk: true);
                    }
                }
                catch (Exception e)
                {
                    failure ??= e;
                }
                finally
                {
                    stream.Dispose();
                }
            }
        }

        if (failure is not null)
        {
            throw new IOException("Spilling a completion's new lines failed.", failure);
        }
    }
}

/// <summary>One dated file's new lines in a <see cref="LineSpill"/>.</summary>
internal sealed record SpilledLines(LineSpill Spill, int Index, string Path)
{
    public void Add(byte[] line) => Spill.Add(this, line);

    /// <summary>The spill file, once written and synced whole; throws when it could not be.</summary>
    public string Finished()
    {
        Spill.Finish();
        return Path;
    }

    /// <summary>Removes the spill file if it is still there (renamed into place, it is not).</summary>
    public void Delete()
    {
        try
        {
            File.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next start, which empties the folder.
        }
    }
}
