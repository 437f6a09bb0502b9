using System.Net.Sockets;
using DepHealth.AspNetCore.State;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static DepHealth.AspNetCore.Tests.Checks.HealthChecks.HealthCheckRun;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>How an <see cref="IHealthCheck"/>'s result becomes the contract's status and detail.</summary>
[Trait("Category", "unit")]
public sealed class HealthCheckResultMappingTests
{
    [Fact]
    public async Task Healthy_result_is_ok_and_healthy()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness("postgres", check);

        var state = await FirstResultAsync(harness, check, c => c.Return(HealthCheckResult.Healthy("fine")));

        Assert.Equal(("ok", "ok", HealthState.Healthy), (state.Status, state.Detail, state.Health));
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("amqp")]
    [InlineData("ldap")]
    public async Task Unhealthy_without_exception_is_unhealthy_for_types_that_have_it(string type) =>
        Assert.Equal("unhealthy", await DetailAsync(type, c => c.Return(HealthCheckResult.Unhealthy("down"))));

    [Theory]
    [InlineData("http")]
    [InlineData("grpc")]
    [InlineData("tcp")]
    [InlineData("postgres")]
    [InlineData("mysql")]
    [InlineData("kafka")]
    public async Task Unhealthy_without_exception_is_error_for_types_without_unhealthy(string type) =>
        Assert.Equal("error", await DetailAsync(type, c => c.Return(HealthCheckResult.Unhealthy("down"))));

    [Fact]
    public async Task Degraded_is_a_failed_check_with_the_same_detail_as_unhealthy()
    {
        var check = new GatedHealthCheck();
        await using var harness = Harness("redis", check);

        var state = await FirstResultAsync(harness, check, c => c.Return(HealthCheckResult.Degraded("slow")));

        Assert.Equal(("unhealthy", "unhealthy", HealthState.Unhealthy), (state.Status, state.Detail, state.Health));
    }

    [Fact]
    public async Task Degraded_with_an_exception_is_classified_by_the_exception() =>
        Assert.Equal("connection_refused", await DetailAsync("redis", c => c.Return(
            HealthCheckResult.Degraded("fell back", new SocketException((int)SocketError.ConnectionRefused)))));

    [Fact]
    public async Task Unhealthy_with_a_refused_connection_is_connection_refused() =>
        Assert.Equal("connection_refused", await DetailAsync("postgres", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new InvalidOperationException("wrapped", new SocketException((int)SocketError.ConnectionRefused))))));

    [Fact]
    public async Task Unhealthy_with_a_tls_failure_is_tls_error_for_kafka() =>
        Assert.Equal("tls_error", await DetailAsync("kafka", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new System.Security.Authentication.AuthenticationException("handshake failed")))));

    [Fact]
    public async Task Unhealthy_with_an_unrecognised_exception_is_error_even_where_unhealthy_exists() =>
        Assert.Equal("error", await DetailAsync("redis", c => c.Return(HealthCheckResult.Unhealthy(exception: new InvalidOperationException("boom")))));

    [Theory]
    [InlineData("28P01")]
    [InlineData("28000")]
    public async Task Unhealthy_with_a_sqlstate_of_class_28_is_auth_error(string sqlState) =>
        Assert.Equal("auth_error", await DetailAsync("postgres", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new FakeDbException(sqlState, "password authentication failed")))));

    [Fact]
    public async Task Unhealthy_with_another_sqlstate_is_error() =>
        Assert.Equal("error", await DetailAsync("postgres", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new FakeDbException("42P01", "relation does not exist")))));

    [Fact]
    public async Task Unhealthy_with_a_dependency_check_exception_keeps_its_detail() =>
        Assert.Equal("auth_error", await DetailAsync("amqp", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new DependencyCheckException(CheckDetails.AuthError, "access refused")))));

    [Fact]
    public async Task Detail_the_type_does_not_list_becomes_error() =>
        Assert.Equal("error", await DetailAsync("tcp", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new FakeDbException("28P01", "password authentication failed")))));

    [Fact]
    public async Task Http_status_detail_is_kept_for_http() =>
        Assert.Equal("http_503", await DetailAsync("http", c => c.Return(
            HealthCheckResult.Unhealthy(exception: new DependencyCheckException(CheckDetails.Http(503), "503")))));

    [Fact]
    public async Task Thrown_exception_is_classified_like_a_checkers() =>
        Assert.Equal("connection_refused", await DetailAsync("postgres", c => c.Throw(new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public async Task Thrown_unrecognised_exception_is_error() =>
        Assert.Equal("error", await DetailAsync("ldap", c => c.Throw(new InvalidOperationException("boom"))));

    [Fact]
    public async Task Exception_returned_after_cancellation_is_timeout() =>
        Assert.Equal("timeout", await DetailAsync("postgres", c => c.Return(HealthCheckResult.Unhealthy(exception: new TaskCanceledException()))));
}
