namespace BatchSync.ArchitectureTests;

/// <summary>The house style's size rule: a file in <c>src/</c> does one job, in 250 lines at most (migrations aside).</summary>
public class SourceFileTests
{
    private const int MaxLines = 250;

    [Fact]
    public void SourceFiles_AreAtMost250Lines()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "Migrations" or "obj" or "bin"))
            .ToList();

        var tooLong = files
            .Select(f => (File: Path.GetRelativePath(src, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > MaxLines)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(files.Count > 50, $"only {files.Count} source files found under {src}");
        Assert.True(tooLong.Count == 0, string.Join(Environment.NewLine, tooLong));
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "BatchSync.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("BatchSync.sln not found above " + AppContext.BaseDirectory);
    }
}
