namespace DepHealth.AspNetCore.TestKit;

/// <summary>Settings of tests against real servers. A missing one fails the test: nothing is skipped.</summary>
public static class RequiredEnvironment
{
    public static string Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            Assert.Fail($"Environment variable {name} is not set. Start the test dependencies and load their settings "
                + "(bash build/deps.sh start redis etcd && source build/.deps.env) before running these tests.");
        }

        return value;
    }
}
