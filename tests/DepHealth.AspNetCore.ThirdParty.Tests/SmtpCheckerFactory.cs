namespace DepHealth.AspNetCore.ThirdParty.Tests;

/// <summary>A dependency type the contract does not name, served by a factory written against the public base class.</summary>
internal sealed class SmtpCheckerFactory : DependencyCheckerFactory<SmtpCheckerFactory.Settings>
{
    public const string Greeting = "Greeting";

    public override string Type => "smtp";

    public override IReadOnlyList<string> OptionKeys { get; } = [Greeting];

    public List<EndpointSpec> Checked { get; } = [];

    protected override Settings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var greeting = endpoint.GetOption(Greeting) ?? "220";
        if (!greeting.All(char.IsAsciiDigit))
        {
            errors.Add(new(Greeting, "must be an SMTP reply code, digits only"));
        }

        return new Settings(greeting);
    }

    protected override IDependencyChecker Create(EndpointSpec endpoint, Settings settings, IServiceProvider services) =>
        new Checker(this, settings);

    public sealed record Settings(string Greeting);

    private sealed class Checker(SmtpCheckerFactory owner, Settings settings) : IDependencyChecker
    {
        public ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
        {
            lock (owner.Checked)
            {
                owner.Checked.Add(endpoint);
            }

            return ValueTask.FromResult(settings.Greeting == "220" ? CheckResult.Healthy : CheckResult.Unhealthy(CheckDetails.Unhealthy, $"greeted with {settings.Greeting}"));
        }
    }
}
