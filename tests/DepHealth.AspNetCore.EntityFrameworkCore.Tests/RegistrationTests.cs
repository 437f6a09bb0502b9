using DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>A context the check cannot use stops startup with a message naming it.</summary>
[Trait("Category", "unit")]
public sealed class RegistrationTests
{
    [Fact]
    public void Registration_OfAnUnregisteredContext_FailsNamingTheContext()
    {
        using var harness = EfHarness.Create<SqliteContext>(_ => { });

        var error = Assert.Throws<InvalidOperationException>(() => harness.Dependency);

        Assert.Contains("SqliteContext is not registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_OfANonRelationalContext_FailsNamingTheProvider()
    {
        using var harness = EfHarness.Create<InMemoryContext>(s => s.AddDbContext<InMemoryContext>(o => o.UseInMemoryDatabase("orders")));

        var error = Assert.Throws<InvalidOperationException>(() => harness.Dependency);

        Assert.Contains("InMemoryContext uses the provider Microsoft.EntityFrameworkCore.InMemory, which is not relational", error.Message, StringComparison.Ordinal);
    }
}
