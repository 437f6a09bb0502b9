using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>
/// Reads the Prometheus text format 0.0.4 into families: each sample belongs to the family whose HELP or TYPE came last,
/// label values and HELP texts are unescaped. Strict: anything it does not understand fails the test.
/// </summary>
public static class ExpositionText
{
    public static IReadOnlyDictionary<string, ScrapedFamily> Parse(string text)
    {
        var families = new Dictionary<string, ScrapedFamily>(StringComparer.Ordinal);
        ScrapedFamily? current = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var keyword = line[2..6];
                var rest = line[7..];
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                var name = rest[..space];
                if (!families.TryGetValue(name, out current))
                {
                    current = families[name] = new ScrapedFamily(name);
                }

                current.MetadataOrder.Add(keyword);
                if (keyword == "HELP")
                {
                    current.Help = Unescape(rest[(space + 1)..]);
                }
                else
                {
                    current.Type = rest[(space + 1)..];
                }

                continue;
            }

            Assert.False(line.StartsWith('#'), $"unexpected comment line: {line}");
            Assert.True(current is not null, $"a sample before any HELP or TYPE: {line}");
            var sample = ParseSample(line);
            Assert.True(sample.Name.StartsWith(current!.Name, StringComparison.Ordinal), $"sample {sample.Name} under family {current.Name}");
            current.Samples.Add(sample);
        }

        return families;
    }

    /// <summary>The family names in the order they were written.</summary>
    public static IReadOnlyList<string> FamilyOrder(string text) =>
        [.. text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2])];

    private static ScrapedSample ParseSample(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        var name = line[..nameEnd];
        var labels = new List<KeyValuePair<string, string>>();
        var i = nameEnd;
        if (line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                var label = line[i..equals];
                Assert.Equal('"', line[equals + 1]);
                var value = new StringBuilder();
                i = equals + 2;
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch { 'n' => '\n', '\\' => '\\', '"' => '"', var c => throw new FormatException($"bad escape \\{c} in {line}") });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                labels.Add(new(label, value.ToString()));
                i++;
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++;
        }

        var fields = line[i..].Trim().Split(' ');
        Assert.True(fields.Length == 1, $"a sample with a timestamp or junk after the value: {line}");
        return new ScrapedSample(name, labels, ParseValue(fields[0]));
    }

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string help) => Regex.Replace(help, @"\\(.)", m => m.Groups[1].Value == "n" ? "\n" : m.Groups[1].Value);
}
