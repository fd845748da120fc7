using Spectre.Console;

namespace BatchSync.Cli;

/// <summary>The <c>batchsync</c> executable (a named class: the server's top-level <c>Program</c> is public).</summary>
internal static class EntryPoint
{
    public static Task<int> Main(string[] args) =>
        BatchSyncCli.RunAsync(
            args,
            Console.IsOutputRedirected ? BatchSyncCli.PlainConsole(Console.Out) : AnsiConsole.Console,
            Environment.GetEnvironmentVariable);
}
