using System.CommandLine;
using BatchSync.Cli.Commands;
using Spectre.Console;

namespace BatchSync.Cli;

/// <summary>
/// <c>batchsync send FILE</c>, <c>batchsync simulate</c>, <c>batchsync status SYNC_ID</c>: the SDK from a
/// shell. Every command takes <c>--url</c> and <c>--token</c> (or <c>BATCHSYNC_URL</c>, <c>BATCHSYNC_TOKEN</c>)
/// and exits 1 when anything was not delivered.
/// </summary>
internal static class BatchSyncCli
{
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, Func<string, string?> environment, CancellationToken cancellationToken = default)
    {
        var server = new ServerOptions(environment);
        var root = new RootCommand("BatchSync from the command line: send records, simulate phones, look at a sync.");
        root.Options.Add(server.Url);
        root.Options.Add(server.Token);
        root.Subcommands.Add(new SendCommand(console, server).Create());
        root.Subcommands.Add(new SimulateCommand(console, server).Create());
        root.Subcommands.Add(new StatusCommand(console, server).Create());
        var writer = console.Profile.Out.Writer;
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = writer, Error = writer }, cancellationToken);
    }

    /// <summary>
    /// The console for output that is not a terminal (a pipe, a file): no colours, and as wide as the
    /// widest line, so tables are never cut at 80 columns.
    /// </summary>
    public static IAnsiConsole PlainConsole(TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 4096;
        return console;
    }
}
