using BatchSync.Api;
using BatchSync.Api.Endpoints;
using BatchSync.Application;
using BatchSync.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddApplication().AddInfrastructure(builder.Configuration).AddApi();

var app = builder.Build();
app.UseApi();
app.MapBatchSync();
app.MapSyncSessions();
app.MapHealth();
app.Run();

/// <summary>The server's entry point; public so tests can host it.</summary>
public partial class Program;
