namespace BatchSync.Cli;

/// <summary>The command line asked for something that cannot be done as asked: exit 2, with the message.</summary>
internal sealed class UsageException(string message) : Exception(message);
