using DepHealth.AspNetCore.Addressing;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>Creates an <see cref="HttpChecker"/> per endpoint from its options: standalone, or pool mode with <c>HttpClientName</c>.</summary>
/// <param name="applicationServices">The application's services, where named clients are looked up; null validates no client name as registered.</param>
internal sealed class HttpCheckerFactory(IServiceProvider? applicationServices = null) : IDependencyCheckerFactory, ICheckerOptionKeys, IHostPolicyCheckerFactory
{
    /// <summary>Why a change made at runtime may not name a client (the registry refuses it before a checker is created).</summary>
    public const string RuntimeClientRule =
        "cannot be set on an endpoint changed at runtime: the application's client carries its own handlers, credentials and connections, which the host policy cannot hold; declare pool-mode endpoints in configuration or code";

    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.HealthPath, CheckerOptionKeys.Method, CheckerOptionKeys.Headers + ":", CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.HostHeader, CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.HttpClientName];

    public string Type => DependencyTypes.Http;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var settings = HttpCheckerSettings.Parse(endpoint, errors);
        if (settings.ClientName is { } name && !errors.Any(e => e.Field == CheckerOptionKeys.HttpClientName)
            && NamedHttpClients.Problem(applicationServices, name) is { } problem)
        {
            errors.Add(new(CheckerOptionKeys.HttpClientName, problem));
        }
    }

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var settings = Parse(endpoint);
        return settings.ClientName is { } name
            ? new HttpChecker(settings, services.GetRequiredService<IHttpClientFactory>(), name)
            : new HttpChecker(settings);
    }

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy)
    {
        var settings = Parse(endpoint);
        return settings.ClientName is null
            ? new HttpChecker(settings, policy)
            : throw new EndpointValidationException([new(CheckerOptionKeys.HttpClientName, RuntimeClientRule)]);
    }

    private static HttpCheckerSettings Parse(EndpointSpec endpoint)
    {
        var errors = new List<EndpointValidationError>();
        var settings = HttpCheckerSettings.Parse(endpoint, errors);
        return errors.Count > 0 ? throw new EndpointValidationException(errors) : settings;
    }
}
