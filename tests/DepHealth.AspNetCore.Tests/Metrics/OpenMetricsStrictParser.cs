using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.Tests.Metrics;

/// <summary>One sample as a parser read it: the sample name, its labels (unescaped) and its value.</summary>
internal sealed record ParsedSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, string ValueText);

/// <summary>
/// A strict reader of the OpenMetrics 1.0 text format, written from the specification (ABNF and the rules of its data
/// model) rather than from the package: it throws <see cref="FormatException"/> naming the first rule broken.
/// Real parsers are lenient (Prometheus accepts a counter declared with <c>_total</c>, or no canonical <c>le</c>).
/// </summary>
internal static partial class OpenMetricsStrictParser
{
    /// <summary>The sample name suffixes of each type.</summary>
    internal static readonly Dictionary<string, string[]> Suffixes = new(StringComparer.Ordinal)
    {
        ["counter"] = ["_total", "_created"],
        ["gauge"] = [""],
        ["histogram"] = ["_bucket", "_count", "_sum", "_created"],
        ["gaugehistogram"] = ["_bucket", "_gcount", "_gsum"],
        ["stateset"] = [""],
        ["info"] = ["_info"],
        ["summary"] = ["", "_count", "_sum", "_created"],
        ["unknown"] = [""],
    };

    public static List<ParsedSample> Parse(string exposition)
    {
        Check(!exposition.Contains('\r', StringComparison.Ordinal), "line endings are LF only");
        Check(exposition.EndsWith("# EOF\n", StringComparison.Ordinal) || exposition.EndsWith("# EOF", StringComparison.Ordinal), "the exposition ends with # EOF");
        var body = exposition[..exposition.LastIndexOf("# EOF", StringComparison.Ordinal)];
        Check(body.Length == 0 || body.EndsWith('\n'), "# EOF is a line of its own");
        var lines = body.Length == 0 ? [] : body[..^1].Split('\n');

        var samples = new List<ParsedSample>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        OpenMetricsFamily? family = null;
        foreach (var line in lines)
        {
            try
            {
                if (line.StartsWith('#'))
                {
                    family = Descriptor(line, family, seen);
                    continue;
                }

                var sample = Sample(line);
                if (family is null || !family.Owns(sample.Name))
                {
                    // A sample outside the current family starts a family without metadata: type unknown.
                    Check(!seen.Contains(sample.Name), $"sample {sample.Name} is named as the type of {family?.Name} requires ({family?.Type}: {string.Join(' ', Suffixes[family?.Type ?? "unknown"].Select(x => family?.Name + x))}) and families are not interleaved");
                    seen.Add(sample.Name);
                    family?.Close();
                    family = new OpenMetricsFamily(sample.Name) { Type = "unknown" };
                }

                family.Add(sample);
                samples.Add(sample);
            }
            catch (FormatException e)
            {
                throw new FormatException($"{e.Message}\n  in line: {line}", e);
            }
        }

        family?.Close();
        return samples;
    }

    private static OpenMetricsFamily Descriptor(string line, OpenMetricsFamily? family, HashSet<string> seen)
    {
        var match = DescriptorLine().Match(line);
        Check(match.Success, "a # line is TYPE, UNIT or HELP metadata, or # EOF at the end");
        var (kind, name, text) = (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value);
        if (family is null || family.Name != name)
        {
            Check(!seen.Contains(name), $"family {name} is declared once and not interleaved");
            family?.Close();
            seen.Add(name);
            family = new OpenMetricsFamily(name);
        }

        Check(family.SampleCount == 0, "metadata comes before the family's samples");
        Check(family.Metadata.Add(kind), $"at most one {kind} line per family");
        switch (kind)
        {
            case "TYPE":
                Check(Suffixes.ContainsKey(text), $"TYPE {text} is a known type");
                family.Type = text;
                break;
            case "UNIT":
                Check(MetricNameChars().IsMatch(text), "a unit is metric-name characters");
                Check(text.Length == 0 || name.EndsWith("_" + text, StringComparison.Ordinal), "the unit is a suffix of the family name, after an underscore");
                break;
            default:
                Unescape(text);
                break;
        }

        return family;
    }

    private static ParsedSample Sample(string line)
    {
        var match = SampleLine().Match(line);
        Check(match.Success, "a sample is metricname[{labels}] SP number [SP timestamp]");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = match.Groups[2].Value;
        if (text.Length > 0)
        {
            Check(LabelList().IsMatch(text), "labels are {name=\"escaped\",…} without a trailing comma");
            foreach (Match label in Label().Matches(text))
            {
                var name = label.Groups[1].Value;
                Check(!name.StartsWith('_') || name == "__name__", $"label name {name} does not start with an underscore (reserved)");
                Check(labels.TryAdd(name, Unescape(label.Groups[2].Value)), $"label {name} appears once");
            }
        }

        if (match.Groups[4].Success)
        {
            Check(RealNumber().IsMatch(match.Groups[4].Value), "a timestamp is a real number");
        }

        return new ParsedSample(match.Groups[1].Value, labels, Number(match.Groups[3].Value), match.Groups[3].Value);
    }

    private static double Number(string text)
    {
        var lower = text.ToLowerInvariant();
        if (lower.TrimStart('+', '-') is "inf" or "infinity")
        {
            return lower.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        }

        if (lower == "nan")
        {
            return double.NaN;
        }

        Check(RealNumber().IsMatch(text), $"{text} is a number per the ABNF");
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Unescapes an escaped-string: only \\, \" and \n; a raw quote, backslash or newline is not allowed.</summary>
    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            Check(c != '"' && c != '\n', "double quotes and newlines are escaped");
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }

            Check(i + 1 < text.Length && text[i + 1] is '\\' or '"' or 'n', "a backslash escapes \\, \" or n only");
            result.Append(text[++i] == 'n' ? '\n' : text[i]);
        }

        return result.ToString();
    }

    internal static void Check(bool condition, string rule)
    {
        if (!condition)
        {
            throw new FormatException("OpenMetrics: " + rule);
        }
    }

    [GeneratedRegex(@"^# (TYPE|UNIT|HELP) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex DescriptorLine();

    [GeneratedRegex(@"^[a-zA-Z0-9_:]*$")]
    private static partial Regex MetricNameChars();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)(?: (\S+))?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"^\{(?:[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\.)*""(?:,[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\.)*"")*)?\}$")]
    private static partial Regex LabelList();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\\n]|\\.)*)""")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[+-]?(?:[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?)$")]
    private static partial Regex RealNumber();
}
