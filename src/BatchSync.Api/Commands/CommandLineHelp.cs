namespace BatchSync.Api.Commands;

/// <summary>What the server's executable does, printed for <c>--help</c> and for a command it does not know.</summary>
internal static class CommandLineHelp
{
    public const string Text =
        """
        BatchSync server.

        usage: BatchSync.Api [serve] [--urls URL] [--Section:Key=value ...]
                                                   run the server (the default); any configuration key
                                                   may be given as --BatchSync:Limits:MaxBatchSize=200
               BatchSync.Api tokens create --name NAME --role device|admin [--devices ID[,ID...]|'*']
                                                   issue a token (admins default to --devices '*')
               BatchSync.Api tokens list           tokens by name, role, source, devices and times (UTC)
               BatchSync.Api tokens revoke NAME    revoke a database token; it fails with its next request
               BatchSync.Api rebuild-logs          rewrite every dated log file from the database
                                                   (with the server stopped)
               BatchSync.Api --help                this text

        From the source tree: dotnet run --project src/BatchSync.Api -- COMMAND
        Configuration: appsettings.json, appsettings.<Environment>.json, environment variables
        (BatchSync__DataDirectory=/srv/batchsync), then the command line; see docs/operations.md.
        Exit codes: 0 done, 1 failed, 2 usage error or the data folder in use by another process.
        """;

    /// <summary>True when the arguments ask for help, or name a command that does not exist (then <paramref name="unknown"/> is set).</summary>
    public static bool Wanted(string[] args, out string? unknown)
    {
        unknown = null;
        if (args is ["--help" or "-h" or "-?" or "help", ..])
        {
            return true;
        }

        // Configuration arguments start with - or /, or are key=value; a bare word must be a command.
        if (args is [var first, ..] && !first.StartsWith('-') && !first.StartsWith('/') && !first.Contains('=', StringComparison.Ordinal) &&
            first is not ("serve" or "tokens" or "rebuild-logs"))
        {
            unknown = first;
            return true;
        }

        return false;
    }
}
