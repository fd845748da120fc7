namespace BatchSync.Application.Abstractions;

/// <summary>Remembers when a database token was last used. Never makes a request wait.</summary>
public interface ITokenUsage
{
    void RecordUse(long tokenId, DateTime at);
}
