using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BatchSync.Testing;

/// <summary>
/// The server as a child process, as it runs in production, configured through environment variables.
/// Shared by the load benchmark and the crash tests, which kill it (SIGKILL) and start it again.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private const string ListeningLine = "Now listening on: ";

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>
    /// Settings every server started here gets for its data folder, before the caller's own: the storage
    /// a test suite runs on (a PostgreSQL database per data folder), or the bench's provider.
    /// </summary>
    public static Func<string, IReadOnlyDictionary<string, string>>? StorageSettings { get; set; }

    public int Pid => _process.Id;

    /// <summary>Where the server listens: it binds a port of the system's choosing and says which.</summary>
    public Uri BaseUrl => _listening.Task.IsCompletedSuccessfully
        ? _listening.Task.Result
        : throw new InvalidOperationException(
            _process.HasExited ? $"The server exited with code {_process.ExitCode} before it listened." : "The server is not listening yet.");

    public bool HasExited => _process.HasExited;

    /// <param name="serverDll">The built BatchSync.Api.dll; its folder is the content root.</param>
    /// <param name="dataDirectory">The data folder.</param>
    /// <param name="tokens">Device tokens, by name, allowed every device.</param>
    /// <param name="settings">More configuration, as <c>BatchSync:Section:Key</c> = value.</param>
    /// <param name="output">Where the server's console lines go.</param>
    public static ServerProcess Start(
        string serverDll,
        string dataDirectory,
        IReadOnlyDictionary<string, string> tokens,
        IReadOnlyDictionary<string, string>? settings = null,
        Action<string>? output = null)
    {
        var start = StartInfo(serverDll, dataDirectory, ["--urls", "http://127.0.0.1:0"]);
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        var index = 0;
        foreach (var (name, token) in tokens)
        {
            var prefix = $"BatchSync__Auth__Tokens__{index++}__";
            start.Environment[prefix + "Name"] = name;
            start.Environment[prefix + "Role"] = "device";
            start.Environment[prefix + "Devices__0"] = "*";
            start.Environment[prefix + "Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        output ??= line => Console.Error.WriteLine($"[server] {line}");
        process.OutputDataReceived += (_, e) => server.Read(e.Data, output);
        process.ErrorDataReceived += (_, e) => server.Read(e.Data, output);
        process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException("The server exited before it listened."));
        if (!process.Start())
        {
            throw new InvalidOperationException("Could not start the server.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Kestrel binds once the server has started (migrations, recovery); a server that cannot start
        // exits instead, and its BaseUrl says so.
        if (!((IAsyncResult)server._listening.Task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)))
        {
            server.Kill();
            throw new TimeoutException("The server did not listen within 60 s.");
        }

        return server;
    }

    /// <summary>Runs an operator command of the server (<c>rebuild-logs</c>) on a data folder; returns its exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunCommandAsync(string serverDll, string dataDirectory, params string[] arguments) =>
        RunCommandAsync(serverDll, dataDirectory, new Dictionary<string, string>(), arguments);

    /// <summary>The same, with more environment variables (<c>ASPNETCORE_ENVIRONMENT</c> among them).</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(
        string serverDll, string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = StartInfo(serverDll, dataDirectory, arguments);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }

    public async Task WaitReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/health/ready"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become ready.");
    }

    /// <summary>Waits for the process to end by itself; false if it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Exit code; 137 (128 + SIGKILL) when the process was killed.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Peak resident memory, from /proc.</summary>
    public long PeakMemoryMb()
    {
        if (_process.HasExited)
        {
            return -1;
        }

        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public TimeSpan CpuTime()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The server exited during the run (code {_process.ExitCode}).");
        }

        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally; what the kernel already holds is all that survives.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>The built server on a data folder, in production mode, its own folder as content root.</summary>
    private static ProcessStartInfo StartInfo(string serverDll, string dataDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(serverDll))!,
        };
        start.ArgumentList.Add(serverDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["BatchSync__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in StorageSettings?.Invoke(dataDirectory) ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private void Read(string? line, Action<string> output)
    {
        if (line is null)
        {
            return;
        }

        var at = line.IndexOf(ListeningLine, StringComparison.Ordinal);
        if (at >= 0 && Uri.TryCreate(line[(at + ListeningLine.Length)..].Trim(), UriKind.Absolute, out var url))
        {
            _listening.TrySetResult(url);
        }

        output(line);
    }
}
