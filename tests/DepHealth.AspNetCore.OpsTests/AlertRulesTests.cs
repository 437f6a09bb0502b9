using DepHealth.AspNetCore.OpsTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace DepHealth.AspNetCore.OpsTests;

/// <summary>samples/prometheus/alerts.yml under the real promtool: syntax, and its unit tests.</summary>
[Trait("Category", "integration")]
public sealed class AlertRulesTests
{
    private static string Rules => Repo.PathOf("samples", "prometheus", "alerts.yml");

    private static string RuleTests => Repo.PathOf("samples", "prometheus", "alerts.test.yml");

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var result = await ProcessRunner.RunAsync(Tools.Promtool(), ["check", "rules", Rules]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("SUCCESS: 6 rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alert_unit_tests_pass()
    {
        var result = await ProcessRunner.RunAsync(Tools.Promtool(), ["test", "rules", RuleTests]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Rules_cover_critical_down_degraded_flapping_slow_absent_metrics_and_rejected_reloads()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Rules))
        {
            yaml.Load(reader);
        }

        var alerts = ((YamlSequenceNode)yaml.Documents[0].RootNode["groups"])
            .SelectMany(g => (YamlSequenceNode)g["rules"])
            .Select(r => ((YamlScalarNode)r["alert"]).Value)
            .Order(StringComparer.Ordinal);

        Assert.Equal(
            ["DependencyCriticalDown", "DependencyDegraded", "DependencyFlapping", "DependencyHealthConfigReloadRejected", "DependencyHealthMetricsAbsent", "DependencySlow"],
            alerts);
    }

    [Fact]
    public async Task Unit_tests_fail_when_the_critical_down_alert_never_fires()
    {
        // Proves the unit test has teeth: with a rule that can never match, promtool reports the missing alert.
        var directory = Directory.CreateTempSubdirectory("dephealth-rules-").FullName;
        try
        {
            var broken = (await File.ReadAllTextAsync(Rules)).Replace(
                "max by (name, group, dependency, type) (app_dependency_health{critical=\"yes\"}) == 0",
                "max by (name, group, dependency, type) (app_dependency_health{critical=\"yes\"}) == 2",
                StringComparison.Ordinal);
            Assert.Contains("== 2", broken, StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(directory, "alerts.yml"), broken);
            File.Copy(RuleTests, Path.Combine(directory, "alerts.test.yml"));

            var result = await ProcessRunner.RunAsync(Tools.Promtool(), ["test", "rules", "alerts.test.yml"], directory);

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("alertname: DependencyCriticalDown", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
