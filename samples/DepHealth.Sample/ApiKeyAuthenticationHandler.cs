using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace DepHealth.Sample;

/// <summary>Options of the sample's API-key scheme.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>The administrators' key (role <c>dephealth-admin</c>); when null or empty it authenticates nobody.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A key that authenticates without the admin role (for read-only tools): the registry API answers it 403.</summary>
    public string? ReadOnlyApiKey { get; set; }
}

/// <summary>Authenticates requests whose <c>X-Api-Key</c> header equals the configured key (compared in fixed time).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AdminPolicy = "dephealth-admin";
    public const string AdminRole = "dephealth-admin";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var provided) || provided.Count != 1)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = provided[0] ?? string.Empty;
        Claim[] claims;
        if (Matches(key, Options.ApiKey))
        {
            claims = [new Claim(ClaimTypes.Name, "admin-key"), new Claim(ClaimTypes.Role, AdminRole)];
        }
        else if (Matches(key, Options.ReadOnlyApiKey))
        {
            claims = [new Claim(ClaimTypes.Name, "read-only-key")];
        }
        else
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid API key."));
        }

        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    private static bool Matches(string provided, string? expected) =>
        !string.IsNullOrEmpty(expected)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(provided), Encoding.UTF8.GetBytes(expected));
}
