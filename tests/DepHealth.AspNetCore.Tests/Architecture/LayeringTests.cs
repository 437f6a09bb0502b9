namespace DepHealth.AspNetCore.Tests.Architecture;

/// <summary>
/// The core reads from the bottom up: a namespace uses only the layers below it, never a layer above or a peer of its
/// own layer, so the namespaces form no cycle. The public extension methods (Microsoft.* namespaces) compose everything
/// and sit above all of them.
/// </summary>
[Trait("Category", "unit")]
public sealed class LayeringTests
{
    // Bottom to top; namespaces on one line are peers and must not use one another. "" is the public contract.
    private static readonly string[][] Layers =
    [
        [""],
        ["Text", "Addressing", "Diagnostics"],
        ["State"],
        ["Telemetry"],
        ["Monitoring"],
        ["Checks"],
        ["Scheduling"],
        ["Registry"],
        ["Configuration"],
        ["Api", "Metrics", "Probes", "Dashboard"],
        ["Hosting"],
    ];

    private static readonly Lazy<NamespaceGraph> Graph = new(() =>
        NamespaceGraph.Of(typeof(EndpointSpec).Assembly.Location, "DepHealth.AspNetCore"));

    [Fact]
    public void Every_namespace_of_the_core_belongs_to_a_layer()
    {
        var unplaced = Graph.Value.Namespaces.Where(ns => LayerOf(ns) is null).ToList();

        Assert.True(unplaced.Count == 0, $"place these namespaces in a layer of {nameof(LayeringTests)}: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void No_namespace_uses_a_higher_layer()
    {
        var violations = Violations((from, to) => to > from);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void No_namespace_uses_a_peer_of_its_own_layer()
    {
        var violations = Violations((from, to) => to == from);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_public_contract_uses_no_other_namespace_of_the_core()
    {
        var uses = Graph.Value.Edges.TryGetValue(string.Empty, out var targets) ? targets.Values.ToList() : [];

        Assert.True(uses.Count == 0, string.Join(Environment.NewLine, uses));
    }

    private static List<string> Violations(Func<int, int, bool> wrong)
    {
        var violations = new List<string>();
        foreach (var (source, targets) in Graph.Value.Edges)
        {
            foreach (var (target, example) in targets)
            {
                // Sub-namespaces of one area (Checks.Grpc using Checks.Http) are one layer's inside.
                if (Area(source) == Area(target) || LayerOf(source) is not { } from || LayerOf(target) is not { } to || !wrong(from, to))
                {
                    continue;
                }

                violations.Add($"{Name(source)} uses {Name(target)}: {example}");
            }
        }

        return violations;
    }

    private static int? LayerOf(string ns)
    {
        var area = Area(ns);
        var index = Array.FindIndex(Layers, layer => layer.Contains(area, StringComparer.Ordinal));
        return index < 0 ? null : index;
    }

    private static string Area(string ns) => ns.Split('.')[0];

    private static string Name(string ns) => ns.Length == 0 ? "DepHealth.AspNetCore" : $"DepHealth.AspNetCore.{ns}";
}
