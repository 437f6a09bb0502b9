using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>Reads the samples of a Prometheus text 0.0.4 exposition (promtool checks its syntax elsewhere).</summary>
internal static class PrometheusTextSamples
{
    public static List<ParsedSample> Parse(string text)
    {
        var samples = new List<ParsedSample>();
        foreach (var line in text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var valueAt = line.LastIndexOf(' ');
            var name = brace < 0 ? line[..valueAt] : line[..brace];
            var labels = brace < 0 ? [] : Labels(line[(brace + 1)..line.LastIndexOf('}')]);
            var value = line[(valueAt + 1)..];
            samples.Add(new ParsedSample(name, labels, double.Parse(value.Replace("Inf", "Infinity", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture), value));
        }

        return samples;
    }

    private static Dictionary<string, string> Labels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            var name = text[i..equals];
            var value = new StringBuilder();
            var j = equals + 2;
            for (; text[j] != '"'; j++)
            {
                value.Append(text[j] == '\\' ? text[++j] switch { 'n' => '\n', var c => c } : text[j]);
            }

            labels.Add(name, value.ToString());
            i = j + 2;
        }

        return labels;
    }
}
