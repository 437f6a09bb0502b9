using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace DepHealth.AspNetCore.Metrics;

/// <summary>
/// HTTP content negotiation for <c>/metrics</c> (RFC 9110 §12.5): each format takes the quality of the most specific
/// <c>Accept</c> range that matches it, the highest quality wins, then the range the client listed first, then the
/// Prometheus text format. A range with a <c>version</c> matches that version only. When nothing acceptable is offered
/// (an unsupported version, <c>q=0</c>, an unparsable header) the answer is the Prometheus text format, as scrapers expect.
/// </summary>
internal static class ExpositionNegotiation
{
    /// <summary>The formats offered, in the server's order of preference among equals.</summary>
    private static readonly ExpositionFormat[] Offered = [ExpositionFormat.PrometheusText, ExpositionFormat.OpenMetrics];

    public static ExpositionFormat Choose(StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || !MediaTypeHeaderValue.TryParseList(accept, out var ranges))
        {
            return ExpositionFormat.PrometheusText;
        }

        var chosen = ExpositionFormat.PrometheusText;
        var (bestQuality, bestIndex) = (0.0, int.MaxValue);
        foreach (var format in Offered)
        {
            var (quality, index) = Match(format, ranges);
            if (quality > bestQuality || (quality == bestQuality && quality > 0 && index < bestIndex))
            {
                (chosen, bestQuality, bestIndex) = (format, quality, index);
            }
        }

        return chosen;
    }

    /// <summary>Whether the response may be gzip-compressed: <c>gzip</c> (or <c>*</c>) with a quality above 0, and not below <c>identity</c>'s.</summary>
    public static bool AcceptsGzip(StringValues acceptEncoding)
    {
        if (StringValues.IsNullOrEmpty(acceptEncoding) || !StringWithQualityHeaderValue.TryParseList(acceptEncoding, out var codings))
        {
            return false;
        }

        double? gzip = null, any = null, identity = null;
        foreach (var coding in codings)
        {
            var quality = coding.Quality ?? 1;
            if (coding.Value.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                gzip = quality;
            }
            else if (coding.Value.Equals("*", StringComparison.Ordinal))
            {
                any = quality;
            }
            else if (coding.Value.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                identity = quality;
            }
        }

        var gzipQuality = gzip ?? any ?? 0;
        return gzipQuality > 0 && gzipQuality >= (identity ?? 0);
    }

    /// <summary>The quality the most specific matching range gives <paramref name="format"/>, and that range's position.</summary>
    private static (double Quality, int Index) Match(ExpositionFormat format, IList<MediaTypeHeaderValue> ranges)
    {
        var (quality, index, specificity) = (0.0, int.MaxValue, -1);
        for (var i = 0; i < ranges.Count; i++)
        {
            var rangeSpecificity = Specificity(ranges[i], format);
            if (rangeSpecificity > specificity)
            {
                (quality, index, specificity) = (ranges[i].Quality ?? 1, i, rangeSpecificity);
            }
        }

        return (quality, index);
    }

    /// <summary>How specifically <paramref name="range"/> names <paramref name="format"/>: -1 not at all, 0 <c>*/*</c>, 1 <c>type/*</c>, 2 the media type, 3 with its version.</summary>
    private static int Specificity(MediaTypeHeaderValue range, ExpositionFormat format)
    {
        if (range.MatchesAllTypes)
        {
            return 0;
        }

        var mediaType = format.MediaType.AsSpan();
        var slash = mediaType.IndexOf('/');
        if (!range.Type.AsSpan().Equals(mediaType[..slash], StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        if (range.MatchesAllSubTypes)
        {
            return 1;
        }

        if (!range.SubType.AsSpan().Equals(mediaType[(slash + 1)..], StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        var version = NameValueHeaderValue.Find(range.Parameters, "version");
        if (version is null)
        {
            return 2;
        }

        return HeaderUtilities.RemoveQuotes(version.Value).Equals(format.Version, StringComparison.Ordinal) ? 3 : -1;
    }
}
