using System.Globalization;
using BatchSync.Application.Tokens;
using BatchSync.Infrastructure;
using Mediator;

namespace BatchSync.Api.Commands;

/// <summary>
/// <c>tokens create --name N --role device|admin --devices ID[,ID…]|*</c>, <c>tokens list</c>,
/// <c>tokens revoke NAME</c>: token management from the server's own executable, on its configured
/// database. Works while the server runs; a revocation takes effect with its next request.
/// </summary>
internal static class TokenCommandLine
{
    public const string Usage =
        "usage: tokens create --name NAME --role device|admin --devices ID[,ID...]|'*'   (admins: --devices defaults to '*')\n" +
        "       tokens list\n" +
        "       tokens revoke NAME";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output)
    {
        await DataCommands.PrepareDatabaseAsync(services, CancellationToken.None);
        await using var scope = services.CreateAsyncScope();
        var sender = scope.ServiceProvider.GetRequiredService<ISender>();
        return args switch
        {
            ["create", .. var options] => await CreateAsync(sender, options, output),
            ["list"] => await ListAsync(sender, output),
            ["revoke", var name] => await RevokeAsync(sender, name, output),
            _ => await FailAsync(output, Usage),
        };
    }

    private static async Task<int> CreateAsync(ISender sender, string[] options, TextWriter output)
    {
        string? name = null, role = null;
        var devices = new List<string>();
        for (var i = 0; i + 1 < options.Length; i += 2)
        {
            switch (options[i])
            {
                case "--name":
                    name = options[i + 1];
                    break;
                case "--role":
                    role = options[i + 1];
                    break;
                case "--devices":
                    devices.AddRange(options[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                default:
                    return await FailAsync(output, $"unknown option {options[i]}\n{Usage}");
            }
        }

        if (options.Length % 2 != 0 || name is null || role is null)
        {
            return await FailAsync(output, Usage);
        }

        var result = await sender.Send(new CreateTokenCommand(name, role, devices));
        if (!result.IsSuccess)
        {
            return await FailAsync(output, Describe(result.Error!));
        }

        var created = result.Value;
        await output.WriteLineAsync($"Token {created.Token.Name} ({created.Token.Role}, devices: {string.Join(",", created.Token.Devices)}):");
        await output.WriteLineAsync(created.Value);
        await output.WriteLineAsync("Store it now: it is shown this once, and only its SHA-256 is kept.");
        return 0;
    }

    private static async Task<int> ListAsync(ISender sender, TextWriter output)
    {
        var tokens = await sender.Send(new ListTokensQuery());
        await output.WriteLineAsync($"{"NAME",-24} {"ROLE",-6} {"SOURCE",-13} {"DEVICES",-24} {"CREATED (UTC)",-24} {"LAST USED (UTC)",-24} REVOKED (UTC)");
        foreach (var t in tokens)
        {
            await output.WriteLineAsync(
                $"{t.Name,-24} {t.Role,-6} {t.Source,-13} {string.Join(",", t.Devices),-24} {When(t.CreatedAt),-24} {When(t.LastUsedAt),-24} {When(t.RevokedAt)}");
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(ISender sender, string name, TextWriter output)
    {
        var result = await sender.Send(new RevokeTokenCommand(name));
        if (!result.IsSuccess)
        {
            return await FailAsync(output, result.Error!.Message);
        }

        await output.WriteLineAsync($"Token {name} revoked at {When(result.Value.RevokedAt)}.");
        return 0;
    }

    private static string When(DateTime? at) =>
        at?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "-";

    private static string Describe(Domain.Common.Error error) =>
        error.Fields is null
            ? error.Message
            : error.Message + ": " + string.Join("; ", error.Fields.Select(f => $"{f.Key} {string.Join(", ", f.Value)}"));

    private static async Task<int> FailAsync(TextWriter output, string message)
    {
        await output.WriteLineAsync(message);
        return 1;
    }
}
