using Microsoft.Extensions.Configuration;

namespace DepHealth.AspNetCore.TestKit;

/// <summary>A configuration source whose values a test sets, then announces with <see cref="Reload"/>, like a file or etcd would.</summary>
public sealed class TestConfigurationSource : IConfigurationSource
{
    public TestConfigurationSource(IDictionary<string, string?>? initial = null)
    {
        Provider = new TestProvider(initial);
    }

    internal TestProvider Provider { get; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => Provider;

    public TestConfigurationSource Set(string key, string? value)
    {
        Provider.SetValue(key, value);
        return this;
    }

    public TestConfigurationSource Remove(string keyPrefix)
    {
        Provider.RemovePrefix(keyPrefix);
        return this;
    }

    /// <summary>Announces the changes made so far.</summary>
    public void Reload() => Provider.Announce();

    /// <summary>Builds a configuration over this source alone.</summary>
    public IConfigurationRoot BuildConfiguration() => new ConfigurationBuilder().Add(this).Build();

    internal sealed class TestProvider : ConfigurationProvider
    {
        public TestProvider(IDictionary<string, string?>? initial)
        {
            if (initial is not null)
            {
                foreach (var (key, value) in initial)
                {
                    Data[key] = value;
                }
            }
        }

        public void SetValue(string key, string? value) => Data[key] = value;

        public void RemovePrefix(string prefix)
        {
            foreach (var key in Data.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).ToList())
            {
                Data.Remove(key);
            }
        }

        public void Announce() => OnReload();
    }
}
