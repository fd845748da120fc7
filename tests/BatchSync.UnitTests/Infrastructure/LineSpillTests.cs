using System.Text;
using BatchSync.Infrastructure.LogFiles;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>A large completion's lines spilled to files of their own, on a real folder.</summary>
public sealed class LineSpillTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"batchsync-spill-{Guid.NewGuid():N}");

    [Fact]
    public void Add_LinesOfSeveralFilesInterleaved_EachFileHoldsItsOwnInOrder()
    {
        var spill = new LineSpill(_folder);
        var first = spill.Open();
        var second = spill.Open();

        // More than a chunk, so lines cross from the writer to the spill's task in several handovers.
        for (var i = 0; i < 10_000; i++)
        {
            spill.Add(i % 3 == 0 ? second : first, Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        spill.Complete();

        Assert.Equal(Expected(i => i % 3 != 0), File.ReadAllLines(first.Finished()));
        Assert.Equal(Expected(i => i % 3 == 0), File.ReadAllLines(second.Finished()));
        first.Delete();
        Assert.False(File.Exists(first.Path));
        Assert.True(File.Exists(second.Path));
    }

    [Fact]
    public void RemoveLeftovers_EmptiesWhatAKilledServerLeft()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "left.jsonl"), "{}\n");

        LineSpill.RemoveLeftovers(_folder);

        Assert.False(Directory.Exists(_folder));
        LineSpill.RemoveLeftovers(_folder);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string[] Expected(Func<int, bool> mine) =>
        [.. Enumerable.Range(0, 10_000).Where(mine).Select(i => $"{{\"n\":{i}}}")];
}
