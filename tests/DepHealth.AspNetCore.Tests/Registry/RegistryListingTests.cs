using System.Collections;
using System.Text.Json;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>The registry API's listing renders the copies the registry keeps, never the application's own objects.</summary>
[Trait("Category", "unit")]
public sealed class RegistryListingTests
{
    [Fact]
    public async Task Listing_shows_the_labels_registered_after_the_application_breaks_its_dictionary()
    {
        await using var app = await TestWebApp.StartAsync(time: new TimerTrackingTimeProvider());
        var labels = new VolatileLabels();
        await app.Registry.AddAsync(SchedulerHarness.Spec("volatile", checker: new ScriptedChecker(TimeProvider.System)) with { Labels = labels });
        labels.Broken = true;

        var (status, body) = await app.GetAsync("/admin/endpoints");

        Assert.Equal(200, status);
        using var document = JsonDocument.Parse(body);
        var listed = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal("zone-9", listed.GetProperty("labels").GetProperty("zone").GetString());
    }

    /// <summary>
    /// Labels the application keeps and later breaks, as a dictionary modified while it is enumerated does: valid at
    /// registration, throwing at every enumeration once <see cref="Broken"/>.
    /// </summary>
    private sealed class VolatileLabels : IReadOnlyDictionary<string, string>
    {
        private readonly Dictionary<string, string> _labels = new() { ["zone"] = "zone-9" };

        public bool Broken { get; set; }

        public string this[string key] => _labels[key];

        public IEnumerable<string> Keys => this.Select(p => p.Key);

        public IEnumerable<string> Values => this.Select(p => p.Value);

        public int Count => _labels.Count;

        public bool ContainsKey(string key) => _labels.ContainsKey(key);

        public bool TryGetValue(string key, out string value) => _labels.TryGetValue(key, out value!);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() =>
            Broken ? throw new InvalidOperationException("Collection was modified; enumeration operation may not execute.") : _labels.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
