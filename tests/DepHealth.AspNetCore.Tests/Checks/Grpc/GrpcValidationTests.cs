using DepHealth.AspNetCore.Checks.Grpc;

namespace DepHealth.AspNetCore.Tests.Checks.Grpc;

[Trait("Category", "unit")]
public sealed class GrpcValidationTests
{
    private static readonly GrpcCheckerFactory Factory = new();

    public static TheoryData<Dictionary<string, string>, string> InvalidOptions => new()
    {
        { new() { ["BearerToken"] = "t", ["BasicUsername"] = "u", ["BasicPassword"] = "p" }, "BearerToken" },
        { new() { ["BearerToken"] = "t", ["Metadata:Authorization"] = "Bearer x" }, "BearerToken" },
        { new() { ["BearerToken"] = "t", ["Url"] = "grpc://u:p@127.0.0.1:50051" }, "BearerToken" },
        { new() { ["BearerToken"] = "two words" }, "BearerToken" },
        { new() { ["BasicUsername"] = "u" }, "BasicUsername" },
        { new() { ["Metadata:grpc-timeout"] = "1S" }, "Metadata:grpc-timeout" },
        { new() { ["Metadata:te"] = "trailers" }, "Metadata:te" },
        { new() { ["Metadata:bad key"] = "v" }, "Metadata:bad key" },
        { new() { ["Metadata:x-ok"] = "line\nbreak" }, "Metadata:x-ok" },
        { new() { ["GrpcAuthority"] = "bad host!" }, "GrpcAuthority" },
        { new() { ["GrpcAuthority"] = "host:99999" }, "GrpcAuthority" },
        { new() { ["Tls"] = "yes" }, "Tls" },
        { new() { ["Url"] = "https://127.0.0.1:50051", ["Tls"] = "false" }, "Tls" },
        { new() { ["TlsSkipVerify"] = "maybe" }, "TlsSkipVerify" },
        { new() { ["ServiceName"] = "a\u0001b" }, "ServiceName" },
        { new() { ["Url"] = "redis://127.0.0.1:50051" }, "Url" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_option_is_reported_on_its_field(Dictionary<string, string> options, string field)
    {
        CheckerRun.AssertInvalidOn(Factory, Spec(options), field);
    }

    [Fact]
    public void Valid_options_are_accepted()
    {
        var spec = Spec(new()
        {
            ["Url"] = "grpc://127.0.0.1:50051",
            ["ServiceName"] = "orders.v1.OrderService",
            ["Metadata:X-Tenant"] = "blue",
            ["BearerToken"] = "abc.def-ghi",
            ["GrpcAuthority"] = "[::1]:8443",
            ["Tls"] = "true",
            ["TlsSkipVerify"] = "true",
        });

        Assert.Empty(CheckerRun.Validate(Factory, spec));
    }

    private static EndpointSpec Spec(Dictionary<string, string> options) => CheckerRun.OptionsSpec(DependencyTypes.Grpc, 50051, options);
}
