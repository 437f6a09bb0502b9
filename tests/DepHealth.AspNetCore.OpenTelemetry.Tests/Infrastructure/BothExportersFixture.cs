namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>One <see cref="BothExportersApp"/> after its first checks, and both of its outputs read once, parsed.</summary>
public sealed class BothExportersFixture : IAsyncLifetime
{
    private BothExportersApp? _app;

    public string OursText { get; private set; } = "";

    public string ExporterText { get; private set; } = "";

    public IReadOnlyDictionary<string, ScrapedFamily> Ours { get; private set; } = new Dictionary<string, ScrapedFamily>();

    public IReadOnlyDictionary<string, ScrapedFamily> Exporter { get; private set; } = new Dictionary<string, ScrapedFamily>();

    public async Task InitializeAsync()
    {
        _app = await BothExportersApp.StartAsync();
        OursText = await _app.OursAsync();
        ExporterText = await _app.ExporterAsync();
        Ours = ExpositionText.Parse(OursText);
        Exporter = ExpositionText.Parse(ExporterText);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
