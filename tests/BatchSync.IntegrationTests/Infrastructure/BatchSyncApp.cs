using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>The real server, on a real SQLite file in a folder of its own, with three known tokens.</summary>
public class BatchSyncApp : WebApplicationFactory<Program>
{
    public const string DeviceToken = "test-device-token";
    public const string ScopedToken = "test-phone-1-token";
    public const string AdminToken = "test-admin-token";
    public const string ScopedDevice = "phone-1";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public BatchSyncApp()
        : this([])
    {
    }

    internal BatchSyncApp(Dictionary<string, string?> settings, Action<IServiceCollection>? services = null, string? dataDirectory = null)
    {
        _settings = settings;
        _services = services;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "batchsync-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    /// <summary>Leave the data folder when disposed, for another server to start on.</summary>
    public bool KeepDataDirectory { get; set; }

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>A connection to the server's own database (its SQLite file, or its PostgreSQL database).</summary>
    public System.Data.Common.DbConnection OpenDatabase() => TestStorage.Open(DataDirectory);

    /// <summary>One value from the server's database; <c>@p</c> in the SQL is <paramref name="parameter"/>.</summary>
    public T Scalar<T>(string sql, string parameter)
    {
        using var db = OpenDatabase();
        using var command = TestStorage.Command(db, sql, ("@p", parameter));
        return (T)command.ExecuteScalar()!;
    }

    /// <summary>The first column of every row; <c>@p</c> in the SQL is <paramref name="parameter"/>.</summary>
    public List<T> Column<T>(string sql, string parameter)
    {
        using var db = OpenDatabase();
        using var command = TestStorage.Command(db, sql, ("@p", parameter));
        using var reader = command.ExecuteReader();
        var values = new List<T>();
        while (reader.Read())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    public string LogFile(string type, string date, string device) =>
        Path.Combine(DataDirectory, "logs", type, date, device + ".jsonl");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("BatchSync:DataDirectory", DataDirectory);
        foreach (var (key, value) in TestStorage.SettingsFor(DataDirectory))
        {
            builder.UseSetting(key, value);
        }

        Token(builder, 0, "test-device", "device", "*", DeviceToken);
        Token(builder, 1, "test-phone-1", "device", ScopedDevice, ScopedToken);
        Token(builder, 2, "test-admin", "admin", "*", AdminToken);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        // Pooled connections are left alone: clearing every pool would race with the other tests'
        // servers, and on Linux a folder goes away with connections to its files still open.
        base.Dispose(disposing);
        WaitUntilTheFolderIsFree();
        if (KeepDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// The host is disposed twice, here and by the entry point's <c>app.Run()</c>, and the later call
    /// returns at once while the first may still be stopping the writers: the server has let the data
    /// folder go only once its lock is free. Without this, a server started next on the folder may find
    /// it still taken and exit.
    /// </summary>
    private void WaitUntilTheFolderIsFree()
    {
        var path = Path.Combine(DataDirectory, "batchsync.lock");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.Exists(path))
        {
            try
            {
                using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (FileNotFoundException)
            {
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    private static void Token(IWebHostBuilder builder, int index, string name, string role, string devices, string token)
    {
        var prefix = $"BatchSync:Auth:Tokens:{index}:";
        builder.UseSetting(prefix + "Name", name);
        builder.UseSetting(prefix + "Role", role);
        builder.UseSetting(prefix + "Devices:0", devices);
        builder.UseSetting(prefix + "Sha256", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))));
    }
}
