using System.Net.Sockets;

namespace DepHealth.AspNetCore.Tests.Checks;

[Trait("Category", "unit")]
public sealed class CheckResultTests
{
    [Fact]
    public void Healthy_is_the_default_and_reports_ok()
    {
        Assert.Equal(default, CheckResult.Healthy);
        Assert.True(CheckResult.Healthy.IsHealthy);
        Assert.Equal(("ok", "ok"), (CheckResult.Healthy.Detail, CheckResult.Healthy.Status));
    }

    [Fact]
    public void Unhealthy_keeps_its_detail_and_derives_the_status()
    {
        var result = CheckResult.Unhealthy(CheckDetails.ConnectionRefused, "refused");

        Assert.False(result.IsHealthy);
        Assert.Equal(("connection_refused", "connection_error", "refused"), (result.Detail, result.Status, result.Description));
    }

    [Theory]
    [InlineData("ok")]
    [InlineData("Auth Error")]
    [InlineData("auth-error")]
    [InlineData("a_detail_that_is_far_too_long_to_be_a_label_value_of_the_contract_x")]
    public void Unhealthy_refuses_a_detail_that_is_not_a_failure_label(string detail)
    {
        var error = Assert.Throws<ArgumentException>(() => CheckResult.Unhealthy(detail));

        Assert.Equal("detail", error.ParamName);
    }

    [Fact]
    public void From_exception_classifies_as_the_scheduler_does()
    {
        var result = CheckResult.FromException(new SocketException((int)SocketError.ConnectionRefused));

        Assert.Equal(CheckDetails.ConnectionRefused, result.Detail);
        Assert.IsType<SocketException>(result.Exception);
    }

    [Fact]
    public void From_exception_keeps_the_detail_a_dependency_check_exception_names()
    {
        var result = CheckResult.FromException(new InvalidOperationException("wrapped", new DependencyCheckException(CheckDetails.AuthError, "denied")));

        Assert.Equal(CheckDetails.AuthError, result.Detail);
    }
}
