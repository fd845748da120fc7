using BatchSync.Client;
using Spectre.Console;

namespace BatchSync.Cli;

/// <summary>How every command ends: its own exit code, 2 for a usage error, 1 when anything was not delivered.</summary>
internal static class CommandGuard
{
    public static async Task<int> RunAsync(IAnsiConsole console, Func<Task<int>> command)
    {
        try
        {
            return await command();
        }
        catch (UsageException e)
        {
            console.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 2;
        }
        catch (Exception e) when (e is BatchSyncException or HttpRequestException or FormatException or IOException)
        {
            console.MarkupLineInterpolated($"[red]Not delivered:[/] {e.Message}");
            return 1;
        }
    }
}
