using DepHealth.AspNetCore.Checks.Redis;

namespace DepHealth.AspNetCore.Tests.Checks.Redis;

[Trait("Category", "unit")]
public sealed class RedisValidationTests
{
    private static readonly RedisCheckerFactory Factory = new();

    [Theory]
    [InlineData("Database", "abc", "Database")]
    [InlineData("Database", "-1", "Database")]
    [InlineData("Database", " 1", "Database")]
    [InlineData("Url", "redis://127.0.0.1:6379/abc", "Url")]
    [InlineData("Url", "http://127.0.0.1:6379", "Url")]
    [InlineData("Username", "app", "Password")]
    [InlineData("Tls", "yes", "Tls")]
    [InlineData("TlsSkipVerify", "maybe", "TlsSkipVerify")]
    public void Invalid_option_is_reported_on_its_field(string key, string value, string field)
    {
        CheckerRun.AssertInvalidOn(Factory, Spec(new() { [key] = value }), field);
    }

    [Fact]
    public void Valid_options_are_accepted()
    {
        var spec = Spec(new()
        {
            ["Url"] = "rediss://user:secret@127.0.0.1:6379/12",
            ["Database"] = "3",
            ["Tls"] = "true",
            ["TlsSkipVerify"] = "false",
        });

        Assert.Empty(CheckerRun.Validate(Factory, spec));
    }

    private static EndpointSpec Spec(Dictionary<string, string> options) => CheckerRun.OptionsSpec(DependencyTypes.Redis, 6379, options);
}
