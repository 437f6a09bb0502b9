using DepHealth.AspNetCore.Checks.Kafka;

namespace DepHealth.AspNetCore.Tests.Checks.Kafka;

[Trait("Category", "unit")]
public sealed class KafkaValidationTests
{
    private static readonly KafkaCheckerFactory Factory = new();

    [Theory]
    [InlineData("Url", "http://127.0.0.1:9092", "Url")]
    [InlineData("Url", "kafka://user:secret@127.0.0.1:9092", "Url")]
    [InlineData("Username", "app", "Username")]
    [InlineData("Password", "secret", "Username")]
    [InlineData("Tls", "true", "Tls")]
    public void Invalid_option_is_reported_on_its_field(string key, string value, string field)
    {
        CheckerRun.AssertInvalidOn(Factory, Spec(new() { [key] = value }), field);
    }

    [Fact]
    public void Multi_host_url_without_options_is_accepted()
    {
        Assert.Empty(CheckerRun.Validate(Factory, Spec(new() { ["Url"] = "kafka://b0:9092,b1:9093", ["Tls"] = "false" })));
    }

    private static EndpointSpec Spec(Dictionary<string, string> options) => CheckerRun.OptionsSpec(DependencyTypes.Kafka, 9092, options);
}
