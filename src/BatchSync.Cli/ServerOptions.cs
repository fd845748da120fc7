using System.CommandLine;
using BatchSync.Client;

namespace BatchSync.Cli;

/// <summary><c>--url</c> and <c>--token</c>, on every command, or <c>BATCHSYNC_URL</c> and <c>BATCHSYNC_TOKEN</c> from the environment.</summary>
internal sealed class ServerOptions(Func<string, string?> environment)
{
    public Option<string?> Url { get; } = new("--url") { Description = "The server's base address (or BATCHSYNC_URL)", Recursive = true };

    public Option<string?> Token { get; } = new("--token") { Description = "A device or admin token (or BATCHSYNC_TOKEN)", Recursive = true };

    /// <summary>The server to talk to; a <see cref="UsageException"/> when there is none or its address is not http(s).</summary>
    public ServerAddress Resolve(ParseResult parse)
    {
        var text = parse.GetValue(Url) ?? environment("BATCHSYNC_URL")
            ?? throw new UsageException("No server: pass --url or set BATCHSYNC_URL");
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"Not a server address: {text} (expected http://host:port/)");
        }

        var secret = parse.GetValue(Token) ?? environment("BATCHSYNC_TOKEN")
            ?? throw new UsageException("No token: pass --token or set BATCHSYNC_TOKEN");
        return new ServerAddress(address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"), secret);
    }
}

/// <summary>The server to talk to, from the options or the environment.</summary>
internal sealed record ServerAddress(Uri Url, string Token)
{
    /// <summary>A client's options for uploading the records of <paramref name="device"/>.</summary>
    public BatchSyncClientOptions ClientOptions(string device, string user) => new()
    {
        ServerUrl = Url,
        Token = Token,
        DeviceId = device,
        UserName = user,
    };

    /// <summary>
    /// The server's API for a command's questions: each asked once, without retries, and given the 100 s an
    /// <see cref="HttpClient"/> allows a request by default, so a command answers at once when the server is not there.
    /// </summary>
    public BatchSyncApi Api() => new(new BatchSyncApiOptions
    {
        ServerUrl = Url,
        Token = Token,
        MaxRetries = 0,
        RequestTimeout = TimeSpan.FromSeconds(100),
    });
}
