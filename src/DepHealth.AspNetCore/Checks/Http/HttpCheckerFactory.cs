using DepHealth.AspNetCore.Addressing;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Checks.Http;

/// <summary>Creates an <see cref="HttpChecker"/> per endpoint from its options: standalone, or pool mode with <c>HttpClientName</c>.</summary>
/// <param name="applicationServices">The application's services, where named clients are looked up; null validates no client name as registered.</param>
internal sealed class HttpCheckerFactory(IServiceProvider? applicationServices = null) : DependencyCheckerFactory<HttpCheckerSettings>, IHostPolicyCheckerFactory
{
    /// <summary>Why a change made at runtime may not name a client (the registry refuses it before a checker is created).</summary>
    public const string RuntimeClientRule =
        "cannot be set on an endpoint changed at runtime: the application's client carries its own handlers, credentials and connections, which the host policy cannot hold; declare pool-mode endpoints in configuration or code";

    public override IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.HealthPath, CheckerOptionKeys.Method, CheckerOptionKeys.Headers + ":", CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.HostHeader, CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.HttpClientName];

    public override string Type => DependencyTypes.Http;

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services, HostPolicy policy)
    {
        var settings = ParseValid(endpoint);
        return settings.ClientName is null
            ? new HttpChecker(settings, policy)
            : throw new EndpointValidationException([new(CheckerOptionKeys.HttpClientName, RuntimeClientRule)]);
    }

    protected override HttpCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var settings = HttpCheckerSettings.Parse(endpoint, errors);
        if (settings.ClientName is { } name && !errors.Any(e => e.Field == CheckerOptionKeys.HttpClientName)
            && NamedHttpClients.Problem(applicationServices, name) is { } problem)
        {
            errors.Add(new(CheckerOptionKeys.HttpClientName, problem));
        }

        return settings;
    }

    protected override IDependencyChecker Create(EndpointSpec endpoint, HttpCheckerSettings settings, IServiceProvider services) =>
        settings.ClientName is { } name
            ? new HttpChecker(settings, services.GetRequiredService<IHttpClientFactory>(), name)
            : new HttpChecker(settings);
}
