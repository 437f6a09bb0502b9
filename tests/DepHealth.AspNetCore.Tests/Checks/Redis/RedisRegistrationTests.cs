
namespace DepHealth.AspNetCore.Tests.Checks.Redis;

[Trait("Category", "unit")]
public sealed class RedisRegistrationTests
{
    [Fact]
    public void AddRedis_with_a_valid_url_passes_startup_validation()
    {
        Assert.Empty(StartupValidation.Failures(b => b.AddRedis("cache", "redis://:secret@127.0.0.1:6379,127.0.0.1:6380/2", critical: true)));
    }

    [Fact]
    public void AddRedis_with_an_invalid_database_fails_startup_validation_on_its_key()
    {
        var failure = Assert.Single(StartupValidation.Failures(b => b.AddRedis("cache", "redis://127.0.0.1:6379", critical: true, d => d.Database = "one")));

        Assert.StartsWith("DependencyHealth:Dependencies:cache:Database:", failure, StringComparison.Ordinal);
    }
}
