using System.Globalization;
using System.Text;

namespace DepHealth.AspNetCore.State;

/// <summary>
/// The label set of one endpoint, rendered once at registration: the Prometheus label text in the contract's
/// order (name, group, dependency, type, host, port, critical, custom labels sorted) and the same as meter tags.
/// </summary>
internal sealed class SeriesLabels
{
    private SeriesLabels(byte[] prometheus, KeyValuePair<string, object?>[] tags)
    {
        Prometheus = prometheus;
        Tags = tags;
    }

    /// <summary>UTF-8 label pairs without braces, for example <c>name="app",group="g",…,critical="yes"</c>.</summary>
    public byte[] Prometheus { get; }

    /// <summary>The same labels as meter tags.</summary>
    public KeyValuePair<string, object?>[] Tags { get; }

    /// <summary>The custom labels only, sorted by name; values are strings.</summary>
    public ReadOnlySpan<KeyValuePair<string, object?>> CustomTags => Tags.AsSpan(RequiredCount);

    /// <summary>name, group, dependency, type, host, port, critical: the labels every series has first.</summary>
    private const int RequiredCount = 7;

    public static SeriesLabels Create(string name, string group, EndpointSpec spec)
    {
        var pairs = new List<KeyValuePair<string, string>>(RequiredCount + spec.Labels.Count)
        {
            new("name", name),
            new("group", group),
            new("dependency", spec.Dependency),
            new("type", spec.Type),
            new("host", spec.Host),
            new("port", spec.Port.ToString(CultureInfo.InvariantCulture)),
            new("critical", spec.Critical ? "yes" : "no"),
        };
        foreach (var label in spec.Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            pairs.Add(label);
        }

        var text = new StringBuilder(128);
        var tags = new KeyValuePair<string, object?>[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(pairs[i].Key).Append("=\"");
            AppendEscaped(text, pairs[i].Value);
            text.Append('"');
            tags[i] = new(pairs[i].Key, pairs[i].Value);
        }

        return new SeriesLabels(Encoding.UTF8.GetBytes(text.ToString()), tags);
    }

    /// <summary>Escapes a label value per the text format: backslash, double quote and newline.</summary>
    public static void AppendEscaped(StringBuilder builder, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }
}
