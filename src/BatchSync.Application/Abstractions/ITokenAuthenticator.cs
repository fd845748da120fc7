using BatchSync.Application.Common;

namespace BatchSync.Application.Abstractions;

/// <summary>Tells who holds a bearer token, or null for a token nobody issued.</summary>
public interface ITokenAuthenticator
{
    Caller? Authenticate(string token);
}
