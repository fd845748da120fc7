using System.CommandLine;
using System.Globalization;
using BatchSync.Client;
using Spectre.Console;

namespace BatchSync.Cli.Commands;

/// <summary><c>batchsync status SYNC_ID</c>: a sync's state, its missing parts and its parts, as the server holds them.</summary>
internal sealed class StatusCommand(IAnsiConsole console, ServerOptions server)
{
    /// <summary>How the wire writes an instant; a part's time is shown as the server sent it.</summary>
    private const string WireInstant = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private readonly Argument<string> _syncId = new("SYNC_ID") { Description = "The sync to show" };

    public Command Create()
    {
        var command = new Command("status", "Show a sync's parts") { _syncId };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(console, () => RunAsync(
            server.Resolve(parse), parse.GetRequiredValue(_syncId), cancellationToken)));
        return command;
    }

    private async Task<int> RunAsync(ServerAddress address, string syncId, CancellationToken cancellationToken)
    {
        using var api = address.Api();
        SyncSession session;
        try
        {
            session = await api.GetSyncSessionAsync(syncId, cancellationToken);
        }
        catch (BatchSyncException e) when (e.Status > 0)
        {
            console.MarkupLineInterpolated($"[red]{e.Status}[/] {e.ServerMessage}");
            return 1;
        }

        var missing = session.MissingParts.Count == 0 ? "none" : string.Join(", ", session.MissingParts);
        console.MarkupLineInterpolated(
            $"Sync [bold]{syncId}[/] of {session.DeviceId}: [bold]{session.SyncStatus}[/], {session.ReceivedParts.Count} of {session.TotalParts} parts, missing: {missing}");
        var table = new Table().AddColumns("part", "records", "checksum", "received at");
        foreach (var part in session.Parts)
        {
            table.AddRow(
                part.PartNumber.ToString(CultureInfo.InvariantCulture),
                part.RecordCount.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(part.Checksum),
                part.ReceivedAt.UtcDateTime.ToString(WireInstant, CultureInfo.InvariantCulture));
        }

        console.Write(table);
        return 0;
    }
}
