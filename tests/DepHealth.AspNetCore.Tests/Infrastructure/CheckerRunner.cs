using DepHealth.AspNetCore.Checks;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Tests.Infrastructure;

/// <summary>Runs one check through a factory as the scheduler would, and returns the contract detail it yields.</summary>
public static class CheckerRunner
{
    public static async Task<string> DetailAsync(IDependencyCheckerFactory factory, EndpointSpec spec, CancellationToken cancellationToken = default)
    {
        var errors = new List<EndpointValidationError>();
        factory.Validate(spec, errors);
        Assert.Empty(errors);
        var checker = factory.Create(spec, new ServiceCollection().BuildServiceProvider());
        try
        {
            await checker.CheckAsync(spec, cancellationToken);
            return CheckDetails.Ok;
        }
        catch (Exception exception)
        {
            return ErrorClassifier.Classify(exception);
        }
        finally
        {
            (checker as IDisposable)?.Dispose();
        }
    }
}
