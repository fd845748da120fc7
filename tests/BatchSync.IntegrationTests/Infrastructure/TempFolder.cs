namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>A folder of its own under the temp folder for one test, deleted with everything in it afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "batchsync-tests", $"{prefix}-{Guid.NewGuid():N}");
    }

    public string Path { get; }

    public static implicit operator string(TempFolder folder) => folder.Path;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Never created.
        }
        catch (IOException)
        {
            // A lazily detached mount point may linger empty for a moment.
        }
    }
}
