using System.Security.Claims;
using System.Text.Encodings.Web;
using BatchSync.Api.ErrorHandling;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BatchSync.Api.Auth;

/// <summary><c>Authorization: Bearer &lt;token&gt;</c>; refusals answer in the contract's envelope.</summary>
internal sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    UrlEncoder encoder,
    ITokenAuthenticator tokens,
    ILogger<BearerTokenHandler> logger) : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "Bearer";
    private const string DeviceClaim = "batchsync:device";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (token.Length is 0 or > 512 || await tokens.AuthenticateAsync(token, Context.RequestAborted) is not { } caller)
        {
            // One line for a refused token (the framework's own lines say the same thrice); never the token.
            logger.LogInformation("Unknown bearer token refused (401) from {RemoteAddress} on {Method} {Path}",
                Context.Connection.RemoteIpAddress, Request.Method, Request.Path.Value);
            return AuthenticateResult.Fail("Unknown token");
        }

        List<Claim> claims =
        [
            new(ClaimTypes.Name, caller.TokenName),
            new(ClaimTypes.Role, caller.Role == CallerRole.Admin ? Roles.Admin : Roles.Device),
        ];
        claims.AddRange(caller.Devices is null ? [new Claim(DeviceClaim, "*")] : caller.Devices.Select(d => new Claim(DeviceClaim, d)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiErrors.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Missing or unknown bearer token");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        logger.LogInformation("Token {TokenName} refused (403) on {Method} {Path}", Context.User.Identity?.Name, Request.Method, Request.Path.Value);
        return ApiErrors.WriteAsync(Context, StatusCodes.Status403Forbidden, "This token may not do that");
    }

    /// <summary>The caller the claims describe; only for authenticated requests.</summary>
    public static Caller CallerOf(ClaimsPrincipal user)
    {
        var devices = user.FindAll(DeviceClaim).Select(c => c.Value).ToList();
        return new Caller(
            user.Identity!.Name!,
            user.IsInRole(Roles.Admin) ? CallerRole.Admin : CallerRole.Device,
            devices.Contains("*") ? null : devices.ToHashSet(StringComparer.Ordinal));
    }
}

internal static class Roles
{
    public const string Device = "device";
    public const string Admin = "admin";
}

internal static class Policies
{
    /// <summary>Uploads and resume queries: a device token, or an admin's.</summary>
    public const string Device = "device";

    public const string Admin = "admin";
}
