using DepHealth.AspNetCore.Configuration;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>Builds endpoint specs the way configuration does and runs a checker once, returning the contract detail.</summary>
public static class CheckerRun
{
    /// <summary>A check still running after this is reported as <c>timeout</c>, so a hang fails the assertion instead of the run.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    private static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    /// <summary>The endpoints of a dependency as configuration would produce them; fails on a validation error.</summary>
    public static List<EndpointSpec> Specs(DependencyOptions options, string name = "dep")
    {
        options.Critical ??= true;
        var errors = new List<EndpointValidationError>();
        var specs = DependencySpecBuilder.Build(name, options, errors);
        Assert.True(errors.Count == 0, string.Join("; ", errors));
        return specs;
    }

    public static EndpointSpec Spec(DependencyOptions options) => Assert.Single(Specs(options));

    /// <summary>The errors the factory reports for a spec.</summary>
    public static List<EndpointValidationError> Validate(IDependencyCheckerFactory factory, EndpointSpec spec)
    {
        var errors = new List<EndpointValidationError>();
        factory.Validate(spec, errors);
        return errors;
    }

    /// <summary>Creates the checker with the factory and runs one check: <c>ok</c>, or the detail its failure classifies as.</summary>
    /// <summary>An endpoint of <paramref name="type"/> on 127.0.0.1 with the given checker options.</summary>
    public static EndpointSpec OptionsSpec(string type, int port, Dictionary<string, string> options) => new()
    {
        Dependency = "dep",
        Type = type,
        Host = "127.0.0.1",
        Port = port,
        Critical = true,
        Options = new Dictionary<string, string>(options, StringComparer.OrdinalIgnoreCase),
    };

    /// <summary>The factory reports exactly one error, on <paramref name="field"/>, and refuses to create a checker.</summary>
    public static void AssertInvalidOn(IDependencyCheckerFactory factory, EndpointSpec spec, string field)
    {
        var error = Assert.Single(Validate(factory, spec));
        Assert.Equal(field, error.Field);
        Assert.Throws<EndpointValidationException>(() => factory.Create(spec, null!));
    }

    public static async Task<string> DetailAsync(IDependencyCheckerFactory factory, EndpointSpec spec, CancellationToken cancellationToken = default)
    {
        var checker = factory.Create(spec, Services);
        try
        {
            return await DetailAsync(checker, spec, cancellationToken);
        }
        finally
        {
            (checker as IDisposable)?.Dispose();
        }
    }

    public static async Task<string> DetailAsync(IDependencyChecker checker, EndpointSpec spec, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            return (await checker.CheckAsync(spec, limit.Token)).Detail;
        }
        catch (Exception e)
        {
            return ErrorClassifier.Classify(e);
        }
    }
}
