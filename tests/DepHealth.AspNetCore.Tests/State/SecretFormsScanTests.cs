using System.Net;
using System.Text.Json;
using System.Text;
using DepHealth.AspNetCore.Addressing;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>
/// Each form of <see cref="SecretForms"/> through the registry API (POST, PUT, GET one, the listing, a 400), a check
/// failure whose driver echoes every form (logs, details, /metrics) and the audit log: not one byte of a secret anywhere.
/// </summary>
[Trait("Category", "unit")]
public sealed class SecretFormsScanTests
{
    [Theory]
    [MemberData(nameof(SecretForms.Names), MemberType = typeof(SecretForms))]
    public async Task No_secret_of_the_form_appears_in_api_responses_logs_details_or_metrics(string name)
    {
        var form = SecretForms.Named(name);
        var outputs = new List<string>();
        await using var app = await TestWebApp.StartAsync(
            o => o.Registry.MutationsPerSecond = 0,
            b => b.Services.AddSingleton<IDependencyCheckerFactory>(new EchoingCheckerFactory(form)));
        var (host, port) = Target(form);
        var key = $"{host}/{port}";
        var json = Body(form, "scan");

        outputs.Add(await SendAsync(app, HttpMethod.Post, "/admin/endpoints", json, HttpStatusCode.Created));
        outputs.Add(await SendAsync(app, HttpMethod.Put, $"/admin/endpoints/scan/{key}", json.Replace("\"critical\":false", "\"critical\":true", StringComparison.Ordinal), HttpStatusCode.OK));
        outputs.Add(await SendAsync(app, HttpMethod.Post, "/admin/endpoints", Body(form, "explode"), HttpStatusCode.BadRequest));
        outputs.Add((await app.GetAsync($"/admin/endpoints/scan/{key}")).Body);
        outputs.Add((await app.GetAsync("/admin/endpoints")).Body);
        outputs.Add((await Record.ExceptionAsync(() => app.Registry.AddAsync(new EndpointSpec
        {
            Dependency = "explode",
            Type = "tcp",
            Host = host,
            Port = port,
            Critical = false,
            Options = form.Options.ToDictionary(),
        })))!.ToString());
        await Eventually.TrueAsync(() => app.Logs.WithEventId(1001).Count > 0, "the echoing check failed and was logged");
        outputs.Add((await app.GetAsync("/health/details?history=true")).Body);
        outputs.Add((await app.GetAsync("/metrics")).Body);
        outputs.Add(app.Logs.AllText());

        var everything = string.Join("\n", outputs);
        var leaked = SecretForms.Leaked(form, everything);
        Assert.True(leaked.Count == 0, $"leaked {string.Join(", ", leaked)} in:\n{everything}");
        Assert.Contains("***", outputs[3], StringComparison.Ordinal);
        Assert.Contains($"\"scan:{host}:{port}\"", everything, StringComparison.Ordinal);
    }

    /// <summary>The endpoint a form's <c>Url</c> names (an endpoint must be where its URL points), else a local one.</summary>
    private static (string Host, int Port) Target(SecretForms.Form form) =>
        form.Options.TryGetValue("Url", out var url) && EndpointAddressParser.TryParseUrl(url, "tcp", out _, out var hosts, out _)
            ? (hosts[0].Host, hosts[0].Port)
            : ("127.0.0.1", 8080);

    private static string Body(SecretForms.Form form, string dependency)
    {
        var (host, port) = Target(form);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["dependency"] = dependency,
            ["type"] = "tcp",
            ["host"] = host,
            ["port"] = port,
            ["critical"] = false,
            ["options"] = form.Options,
        });
    }

    private static async Task<string> SendAsync(TestWebApp app, HttpMethod method, string path, string json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await app.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}");
        return $"{(int)response.StatusCode} {body}";
    }

    /// <summary>A tcp checker whose every failure, and whose creation for dependency <c>explode</c>, quotes each form of the secrets, as a careless driver would.</summary>
    private sealed class EchoingCheckerFactory(SecretForms.Form form) : IDependencyCheckerFactory
    {
        public string Type => DependencyTypes.Tcp;

        public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
        {
        }

        public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services) =>
            endpoint.Dependency == "explode" ? throw new InvalidOperationException("cannot connect with " + SecretForms.Echo(form)) : new Checker(form);

        private sealed class Checker(SecretForms.Form form) : IDependencyChecker
        {
            public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken) =>
                throw new DependencyCheckException(CheckDetails.AuthError, "login refused for " + SecretForms.Echo(form));
        }
    }
}
