using BatchSync.Api;
using BatchSync.Api.Endpoints;
using BatchSync.Application;
using BatchSync.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddApi();

var app = builder.Build();
if (args is ["rebuild-logs", ..])
{
    // An operator command instead of the server: same configuration, same data folder.
    return await DataCommands.RebuildLogsAsync(app.Services, Console.Out, CancellationToken.None);
}

app.UseApi();
app.MapBatchSync();
app.MapSyncSessions();
app.MapHealth();
app.Run();
return 0;

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
