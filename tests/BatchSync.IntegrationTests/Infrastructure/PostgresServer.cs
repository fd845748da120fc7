using System.Diagnostics;
using Npgsql;

namespace BatchSync.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server of the suite: the one <c>BATCHSYNC_TEST_POSTGRES</c> names, or else one started
/// for the run from the machine's PostgreSQL binaries in a temporary folder (as the <c>postgres</c> user
/// when the tests run as root), stopped when the run ends. No server and no binaries is a failure with
/// a message saying what to install, never a skip.
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<Instance> Server = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether this run started the server itself, so a test may stop and start it.</summary>
    public static bool IsOwned => Server.Value.Folder is not null;

    /// <summary>A new, empty database; returns its connection string.</summary>
    public static string CreateDatabase()
    {
        var name = "bs_" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server.Value.ConnectionString) { Pooling = false }.ConnectionString))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(Server.Value.ConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Restarts the server (fast shutdown: every connection is cut, nothing committed is lost).</summary>
    /// <summary>Stops the suite's own server, calls <paramref name="whileDown"/>, and starts it again after <paramref name="downFor"/>.</summary>
    public static void Restart(TimeSpan downFor, Action? whileDown = null)
    {
        var server = Server.Value;
        if (server.Folder is null)
        {
            throw new InvalidOperationException("Only a server this run started can be restarted.");
        }

        Run(server.Bin, "pg_ctl", $"-D {server.Folder}/data -m fast -w stop");
        whileDown?.Invoke();
        Thread.Sleep(downFor);
        Run(server.Bin, "pg_ctl", $"-D {server.Folder}/data -l {server.Folder}/log -w start");
    }

    private static Instance Start()
    {
        if (Environment.GetEnvironmentVariable("BATCHSYNC_TEST_POSTGRES") is { Length: > 0 } given)
        {
            return new Instance(given, null, "");
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "The PostgreSQL tests need PostgreSQL: install it (apt-get install postgresql) so the tests start a server of their own, " +
                "or set BATCHSYNC_TEST_POSTGRES to the connection string of one.");
        }

        RemoveLeftovers(bin);
        var folder = Path.Combine(Path.GetTempPath(), $"batchsync-test-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..48]);
        Directory.CreateDirectory(folder);
        if (Environment.UserName == "root")
        {
            Run(null, "chown", $"postgres {folder}");
        }

        // Only a Unix socket in a folder of its own: no TCP port to pick, none to collide with.
        Run(bin, "initdb", $"-D {folder}/data -A trust -U postgres --no-sync");
        File.AppendAllText(
            Path.Combine(folder, "data", "postgresql.conf"),
            $"\nunix_socket_directories = '{folder}'\nlisten_addresses = ''\nmax_connections = 400\nfsync = off\n" +
            "synchronous_commit = off\nfull_page_writes = off\nshared_buffers = 256MB\n");
        Run(bin, "pg_ctl", $"-D {folder}/data -l {folder}/log -w start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Run(bin, "pg_ctl", $"-D {folder}/data -m immediate -w stop");
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // The folder is temporary; a server left behind stops with the machine.
            }
        };
        return new Instance($"Host={folder};Username=postgres;Database=postgres;Maximum Pool Size=20", folder, bin);
    }

    /// <summary>
    /// The servers and folders of earlier runs whose test process is gone: the runner may end a test host
    /// before its exit handlers run, and each such run left its server and folder (over a GB once the big
    /// syncs have run) behind.
    /// </summary>
    private static void RemoveLeftovers(string bin)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), "batchsync-test-pg-*"))
        {
            var name = Path.GetFileName(folder).Split('-');
            if (name.Length < 5 || !int.TryParse(name[3], out var pid) || IsRunning(pid))
            {
                continue;
            }

            try
            {
                if (File.Exists(Path.Combine(folder, "data", "postmaster.pid")))
                {
                    Run(bin, "pg_ctl", $"-D {folder}/data -m immediate -w stop");
                }

                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // Left for the next run, or for the machine's restart.
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Runs a PostgreSQL program, as the postgres user when root (PostgreSQL refuses to run as root).</summary>
    private static void Run(string? bin, string program, string arguments)
    {
        var path = bin is null ? program : Path.Combine(bin, program);
        var start = Environment.UserName == "root" && bin is not null
            ? new ProcessStartInfo("runuser", $"-u postgres -- {path} {arguments}")
            : new ProcessStartInfo(path, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} failed ({process.ExitCode}): {output.Result}{errors.Result}");
        }
    }

    private sealed record Instance(string ConnectionString, string? Folder, string Bin);
}
