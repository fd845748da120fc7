using BatchSync.Api;
using BatchSync.Api.Commands;
using BatchSync.Api.Endpoints;
using BatchSync.Api.Observability;
using BatchSync.Application;
using BatchSync.Infrastructure;

if (CommandLineHelp.Wanted(args, out var unknown))
{
    if (unknown is not null)
    {
        Console.Error.WriteLine($"Unknown command: {unknown}");
    }

    Console.WriteLine(CommandLineHelp.Text);
    return unknown is null ? 0 : 2;
}

// Configuration is read once at start (a change takes a restart, as docs/operations.md says). Watching
// appsettings for changes would watch the whole content root, and so the data folder under it: every
// write to the database or a dated file would wake a watcher thread.
// First, so that a last switch given without a value cannot take it for one.
var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddApi();
builder.Services.AddMonitoring(builder.Configuration);

var app = builder.Build();
// Operator commands instead of the server: same configuration, same data folder.
switch (args)
{
    case ["rebuild-logs", ..]:
        return await DataCommands.RebuildLogsAsync(app.Services, Console.Out, CancellationToken.None);
    case ["tokens", .. var tokenArgs]:
        return await TokenCommandLine.RunAsync(app.Services, tokenArgs, Console.Out);
}

// A second server on a folder in use says so in one line, as rebuild-logs does, instead of a stack trace.
if (!DataCommands.TryTakeDataFolder(app.Services, Console.Error))
{
    return 2;
}

app.UseApi();
app.MapRoot();
app.MapBatchSync();
app.MapSyncSessions();
app.MapAdmin();
app.MapHealth();
app.MapMonitoring();
app.Run();
return 0;

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
