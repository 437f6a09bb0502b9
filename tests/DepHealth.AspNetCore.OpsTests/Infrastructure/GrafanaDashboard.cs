using System.Text.Json;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>Reads samples/grafana/dephealth-dashboard.json: its panels, their PromQL, and its template variables.</summary>
public static partial class GrafanaDashboard
{
    public static string FilePath => Repo.PathOf("samples", "grafana", "dephealth-dashboard.json");

    public static JsonElement Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FilePath));
        return doc.RootElement.Clone();
    }

    /// <summary>Every panel, rows' nested panels included.</summary>
    public static IEnumerable<JsonElement> Panels(JsonElement dashboard)
    {
        foreach (var panel in dashboard.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in nested.EnumerateArray())
                {
                    yield return inner;
                }
            }
        }
    }

    public static string[] VariableNames(JsonElement dashboard) =>
        [.. dashboard.GetProperty("templating").GetProperty("list").EnumerateArray().Select(v => v.GetProperty("name").GetString()!)];

    /// <summary>Every PromQL expression as written: panel targets, and the selectors of <c>label_values(...)</c> variables.</summary>
    public static IReadOnlyList<(string Where, string Expr)> Expressions(JsonElement dashboard)
    {
        var found = new List<(string, string)>();
        foreach (var panel in Panels(dashboard))
        {
            if (!panel.TryGetProperty("targets", out var targets))
            {
                continue;
            }

            foreach (var target in targets.EnumerateArray())
            {
                if (target.TryGetProperty("expr", out var expr))
                {
                    found.Add(($"panel '{panel.GetProperty("title").GetString()}' {target.GetProperty("refId").GetString()}", expr.GetString()!));
                }
            }
        }

        foreach (var variable in dashboard.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() != "query")
            {
                continue;
            }

            var query = variable.GetProperty("query");
            var text = query.ValueKind == JsonValueKind.Object ? query.GetProperty("query").GetString()! : query.GetString()!;
            var labelValues = LabelValues().Match(text);
            found.Add(($"variable '{variable.GetProperty("name").GetString()}'", labelValues.Success ? labelValues.Groups["selector"].Value : text));
        }

        return found;
    }

    /// <summary>What Grafana would send: built-in intervals as durations, dashboard variables as the "All" regex.</summary>
    public static string Interpolate(string expr, IEnumerable<string> variables)
    {
        var text = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal)
            .Replace("$__interval", "15s", StringComparison.Ordinal)
            .Replace("$__range", "1h", StringComparison.Ordinal);
        foreach (var name in variables)
        {
            text = Regex.Replace(text, @"\$\{" + Regex.Escape(name) + @"(:[a-z]+)?\}|\$" + Regex.Escape(name) + @"\b|\[\[" + Regex.Escape(name) + @"\]\]", ".*");
        }

        return text;
    }

    public static TheoryData<string, string> InterpolatedExpressions()
    {
        var dashboard = Load();
        var names = VariableNames(dashboard);
        var data = new TheoryData<string, string>();
        foreach (var (where, expr) in Expressions(dashboard))
        {
            data.Add(where, Interpolate(expr, names));
        }

        return data;
    }

    [GeneratedRegex(@"^\s*label_values\(\s*(?<selector>.+?)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$")]
    private static partial Regex LabelValues();
}
