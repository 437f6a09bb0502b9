using DepHealth.AspNetCore.Checks;
using DepHealth.AspNetCore.Checks.Grpc;
using DepHealth.AspNetCore.Checks.Http;
using DepHealth.AspNetCore.Checks.Kafka;
using DepHealth.AspNetCore.Checks.Redis;
using DepHealth.AspNetCore.Checks.Tcp;

namespace DepHealth.AspNetCore.Tests.Checks;

/// <summary>Whatever a built-in checker factory would throw on is a validation error first: the parse is the validation.</summary>
[Trait("Category", "unit")]
public sealed class CheckerOptionParsingTests
{
    private const string Secret = "s3cr3t-value";

    // Values the HTTP stack refuses: spaces, line breaks, NUL, non-ASCII, separators, empty.
    private static readonly string[] HostileValues =
        ["G E T", "get", "", " ", $"{Secret}\r\nX-Injected: 1", $"{Secret}\0", $"B@d {Secret}", "Bearer", "Bearer a b", "é", "\u0001", "/", ":", "a:b:c", "[::1", "99999999999", "-1", "maybe", new string('x', 9000)];

    private static readonly string[] Keys =
    [
        CheckerOptionKeys.HealthPath, CheckerOptionKeys.Method, $"{CheckerOptionKeys.Headers}:Authorization", $"{CheckerOptionKeys.Headers}:X-Token",
        CheckerOptionKeys.BearerToken, CheckerOptionKeys.BasicUsername, CheckerOptionKeys.BasicPassword, CheckerOptionKeys.HostHeader,
        CheckerOptionKeys.TlsSkipVerify, CheckerOptionKeys.ServiceName, CheckerOptionKeys.GrpcAuthority, $"{CheckerOptionKeys.Metadata}:authorization",
        $"{CheckerOptionKeys.Metadata}:x-token", CheckerOptionKeys.Tls, CheckerOptionKeys.Database, CheckerOptionKeys.Username, CheckerOptionKeys.Password,
    ];

    public static TheoryData<string> Types => new() { "http", "grpc", "redis", "kafka", "tcp" };

    private static IDependencyCheckerFactory Factory(string type) => type switch
    {
        "http" => new HttpCheckerFactory(),
        "grpc" => new GrpcCheckerFactory(),
        "redis" => new RedisCheckerFactory(),
        "kafka" => new KafkaCheckerFactory(),
        _ => new TcpCheckerFactory(),
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Hostile_option_values_are_validation_errors_never_exceptions(string type)
    {
        var factory = Factory(type);
        var failures = new List<string>();
        foreach (var key in Keys)
        {
            foreach (var value in HostileValues)
            {
                var spec = new EndpointSpec
                {
                    Dependency = "dep", Type = type, Host = "h.svc", Port = 8080, Critical = true,
                    Options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [key] = value },
                };
                var errors = new List<EndpointValidationError>();
                try
                {
                    factory.Validate(spec, errors);
                    if (errors.Count == 0)
                    {
                        (factory.Create(spec, new ServiceCollection().BuildServiceProvider()) as IDisposable)?.Dispose();
                    }
                }
                catch (Exception exception) when (exception is not EndpointValidationException)
                {
                    failures.Add($"{key}={Printable(value)}: {exception.GetType().Name}");
                }

                if (errors.Any(e => e.Message.Contains(Secret, StringComparison.Ordinal)))
                {
                    failures.Add($"{key}: an error repeats the value");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("http", "HealtPath")]
    [InlineData("http", "ServiceName")]
    [InlineData("grpc", "HealthPath")]
    [InlineData("redis", "HealthPath")]
    [InlineData("redis", "Headers:X-A")]
    [InlineData("kafka", "Database")]
    [InlineData("tcp", "Tls")]
    public void Option_key_the_type_does_not_read_is_an_error_naming_the_key(string type, string key)
    {
        var catalog = new CheckerCatalog([Factory(type)]);
        var errors = new List<EndpointValidationError>();
        catalog.Validate(
            new EndpointSpec
            {
                Dependency = "dep", Type = type, Host = "h.svc", Port = 8080, Critical = true,
                Options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { [key] = "x" },
            },
            errors);

        var error = Assert.Single(errors);
        Assert.Equal(key, error.Field);
        Assert.Contains($"is not an option of type {type}", error.Message, StringComparison.Ordinal);
    }

    private static string Printable(string value) => value.Length > 20 ? $"<{value.Length} chars>" : string.Concat(value.Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
