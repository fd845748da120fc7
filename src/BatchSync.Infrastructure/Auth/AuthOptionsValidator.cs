using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Auth;

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.Tokens.Count; i++)
        {
            var token = options.Tokens[i];
            var at = $"BatchSync:Auth:Tokens:{i}";
            if (string.IsNullOrWhiteSpace(token.Name))
            {
                failures.Add($"{at}:Name is required.");
            }

            if (token.Role is not ("device" or "admin"))
            {
                failures.Add($"{at}:Role must be 'device' or 'admin'.");
            }

            if (token.Sha256.Length != 64 || !token.Sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
            {
                failures.Add($"{at}:Sha256 must be 64 lowercase hex digits (the SHA-256 of the token).");
            }

            if (token.Role == "device" && token.Devices.Count == 0)
            {
                failures.Add($"{at}:Devices must list device ids or '*'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
