namespace DepHealth.Sample;

/// <summary>
/// Configuration the sample writes while it runs: its own endpoints, once the server's address is known. Added after
/// every other source, so its keys win; the package applies a change by live reload, like any configuration change.
/// </summary>
internal sealed class SelfEndpointsConfiguration : ConfigurationProvider, IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public void Set(IDictionary<string, string?> values)
    {
        Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        OnReload();
    }
}
