using System.CommandLine;
using BatchSync.Client;
using Spectre.Console;

namespace BatchSync.Cli.Commands;

/// <summary><c>batchsync send FILE</c>: records from a file into an offline store, then up to the server with a progress bar.</summary>
internal sealed class SendCommand(IAnsiConsole console, ServerOptions server)
{
    private readonly Argument<FileInfo> _file = new("FILE") { Description = "Records as NDJSON (.ndjson, .jsonl), CSV (.csv) or GPX (.gpx)" };
    private readonly Option<string> _device = new("--device") { Description = "The device the records are from", Required = true };
    private readonly Option<string> _user = new("--user") { Description = "The user name sent with them", DefaultValueFactory = _ => "batchsync-cli" };
    private readonly Option<string?> _store = new("--store") { Description = "The offline store to keep them in until delivered (default: one per device in the temp folder)" };
    private readonly Option<bool> _skipUntimed = new("--skip-untimed") { Description = "GPX: leave out points without <time> (each is named) instead of refusing the file" };

    public Command Create()
    {
        var command = new Command("send", "Upload records from a file, with a progress bar") { _file, _device, _user, _store, _skipUntimed };
        command.SetAction((parse, cancellationToken) => CommandGuard.RunAsync(console, () => RunAsync(
            server.Resolve(parse),
            parse.GetRequiredValue(_file),
            parse.GetRequiredValue(_device),
            parse.GetRequiredValue(_user),
            parse.GetValue(_store),
            parse.GetValue(_skipUntimed),
            cancellationToken)));
        return command;
    }

    private async Task<int> RunAsync(
        ServerAddress address, FileInfo file, string device, string user, string? storePath, bool skipUntimed, CancellationToken cancellationToken)
    {
        var (records, skipped) = RecordFiles.Read(file.FullName, skipUntimed);
        foreach (var point in skipped)
        {
            console.MarkupLineInterpolated($"[yellow]Skipped[/] {point}: no <time>");
        }

        using var store = new OfflineStore(storePath ?? Path.Combine(Path.GetTempPath(), $"batchsync-send-{device}.db"));
        records.ForEach(store.Add);
        using var client = new BatchSyncClient(store, address.ClientOptions(device, user));
        var result = await console.Progress().StartAsync(async context =>
        {
            var bar = context.AddTask($"Sending {records.Count} records of {device}", maxValue: Math.Max(1, store.PendingCount));
            var delivered = await client.SyncAsync(new Progress<SyncProgress>(p => bar.Value = p.RecordsDone), cancellationToken);
            bar.Value = bar.MaxValue;
            return delivered;
        });

        var unknown = result.RecordsSynced - result.RecordsNew - result.RecordsAlreadyStored;
        console.MarkupLineInterpolated(
            $"[green]Delivered[/] {result.RecordsSynced} records in {result.CompletedSyncIds.Count} syncs: {result.RecordsNew} new, {result.RecordsAlreadyStored} already stored on the server{(unknown > 0 ? $", {unknown} not counted (the server's answer was lost)" : "")}. Syncs: {string.Join(", ", result.CompletedSyncIds)}");
        return store.PendingCount == 0 ? 0 : 1;
    }
}
