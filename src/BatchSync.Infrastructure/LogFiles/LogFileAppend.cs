namespace BatchSync.Infrastructure.LogFiles;

/// <summary>A dated file the file writer appends to in one batch, and the changes it settles once on disk.</summary>
internal sealed record LogFileAppend(FileStream File, List<LogFileChange> Changes)
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    public static LogFileAppend Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new LogFileAppend(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16 * 1024), []);
    }

    /// <summary>The change's new lines onto the file's end, from its spill or from memory.</summary>
    public void Add(LogFileChange change)
    {
        Changes.Add(change);
        if (change.Spilled is { } spilled)
        {
            using var lines = new FileStream(spilled.Finished(), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            lines.CopyTo(File, 1024 * 1024);
            return;
        }

        foreach (var line in change.AppendLines!)
        {
            if (CrashPoints.Armed)
            {
                var file = File;
                CrashPoints.Reach(CrashPoints.FileAppendHalfLine, () =>
                {
                    file.Write(line, 0, line.Length / 2);
                    file.Flush();
                });
            }

            File.Write(line);
            File.Write(NewLine);
        }
    }
}
