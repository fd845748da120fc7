using BatchSync.Api;
using BatchSync.Api.Commands;
using BatchSync.Api.Endpoints;
using BatchSync.Api.Observability;
using BatchSync.Application;
using BatchSync.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
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

app.UseApi();
app.MapBatchSync();
app.MapSyncSessions();
app.MapAdmin();
app.MapHealth();
app.MapMonitoring();
app.Run();
return 0;

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
