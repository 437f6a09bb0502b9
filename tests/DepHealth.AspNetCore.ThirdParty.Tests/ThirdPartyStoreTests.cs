using DepHealth.AspNetCore.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.ThirdParty.Tests;

[Trait("Category", "unit")]
public sealed class ThirdPartyStoreTests
{
    private static EndpointSpec Tcp(string dependency, int port) =>
        new() { Dependency = dependency, Type = "tcp", Host = "127.0.0.1", Port = port, Critical = false };

    private static Task<TestWebApp> StartAsync(IEndpointStore store) => TestWebApp.StartAsync(
        configure: o => o.Registry.Store = "list",
        dependencies: b => b.AddRegistryStore("list", _ => store));

    [Fact]
    public async Task A_runtime_endpoint_is_written_to_a_store_of_your_own()
    {
        var store = new ListEndpointStore();
        await using var app = await StartAsync(store);

        await app.Registry.AddAsync(Tcp("cache", 7001));

        var stored = await store.LoadAsync(CancellationToken.None);
        Assert.Equal("cache", Assert.Single(stored.Endpoints).Spec.Dependency);
    }

    [Fact]
    public async Task A_store_of_your_own_brings_runtime_endpoints_back_after_a_restart()
    {
        var store = new ListEndpointStore();
        await using (var first = await StartAsync(store))
        {
            await first.Registry.AddAsync(Tcp("cache", 7001));
        }

        await using var second = await StartAsync(store);

        Assert.Contains(second.Registry.GetAll(), e => e.Spec.Key == new EndpointKey("cache", "127.0.0.1", 7001));
    }

    [Fact]
    public void A_store_name_that_is_not_registered_is_a_configuration_error_naming_the_key()
    {
        var failures = StartupValidation.Failures(b =>
        {
            b.AddRegistryStore("list", _ => new ListEndpointStore());
            b.Services.Configure<DependencyHealthOptions>(o => o.Registry.Store = "lists");
        });

        Assert.Contains(failures, f => f.StartsWith("DependencyHealth:Registry:Store: 'lists' is not a registered registry store: must be one of memory, list", StringComparison.Ordinal));
    }
}
