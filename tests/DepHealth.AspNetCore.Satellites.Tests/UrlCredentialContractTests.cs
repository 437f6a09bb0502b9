using DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

namespace DepHealth.AspNetCore.Satellites.Tests;

/// <summary>What every satellite whose URL carries credentials does with a wrong password, beyond the network failures.</summary>
public abstract class UrlCredentialContractTests : ConnectionFailureContractTests
{
    /// <summary>A password the server rejects, unique to the derived class.</summary>
    protected abstract string WrongPassword { get; }

    [Fact]
    public async Task Url_WithValidCredentials_IsOk()
    {
        using var harness = Harness.Create(b => AddUrl(b, ServerUrl));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("ok", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_IsAuthError()
    {
        using var harness = Harness.Create(b => AddUrl(b, Url.WithPassword(WrongPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.Equal("auth_error", outcome.Detail);
    }

    [Fact]
    public async Task Url_WithWrongPassword_FailsWithoutAnyPasswordInTheException()
    {
        using var harness = Harness.Create(b => AddUrl(b, Url.WithPassword(WrongPassword)));

        var outcome = await harness.CheckSingleAsync();

        Assert.NotNull(outcome.Exception);
        Assert.DoesNotContain(WrongPassword, outcome.Exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Url.Password, outcome.Exception.ToString(), StringComparison.Ordinal);
    }
}
