using System.Globalization;
using System.Text.Json;

namespace DepHealth.AspNetCore.Etcd;

/// <summary>Turns etcd keys under a prefix into configuration keys: the rest of the key with <c>/</c> as <c>:</c>.</summary>
internal static class EtcdKeyMapper
{
    /// <summary>The prefix as ranged: without a trailing <c>/</c> it would also match <c>/app-other</c> for <c>/app</c>.</summary>
    public static string NormalizePrefix(string? prefix)
    {
        if (string.IsNullOrWhiteSpace(prefix))
        {
            throw new ArgumentException("an etcd key prefix is required, for example /config/orders-api", nameof(prefix));
        }

        return prefix.TrimEnd('/') + "/";
    }

    /// <summary>The configuration key of an etcd key, or null when it has no path below the prefix or an empty segment.</summary>
    public static string? ConfigurationKey(string key, string prefix)
    {
        if (!key.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var relative = key[prefix.Length..].Trim('/');
        if (relative.Length == 0 || relative.Contains("//", StringComparison.Ordinal) || IsRegistryKey(relative))
        {
            return null;
        }

        return relative.Replace('/', ':');
    }

    /// <summary>
    /// Keys under <c>&lt;prefix&gt;/registry/</c> belong to the registry store (<c>AddEtcdRegistryStore</c>): endpoints with
    /// their credentials, never configuration.
    /// </summary>
    public static bool IsRegistryKey(string relative) =>
        relative.StartsWith(EtcdEndpointStore.RegistrySegment + "/", StringComparison.Ordinal) || relative == EtcdEndpointStore.RegistrySegment;

    /// <summary>Maps every key, in key order (so a key below a JSON value's key wins over the value's field).</summary>
    public static Dictionary<string, string?> Map(IEnumerable<KeyValuePair<string, string>> keys, string prefix, bool expandJson)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            if (ConfigurationKey(key, prefix) is not { } path)
            {
                continue;
            }

            if (expandJson && value.AsSpan().TrimStart().StartsWith("{") && TryExpand(path, value, data))
            {
                continue;
            }

            data[path] = value;
        }

        return data;
    }

    private static bool TryExpand(string path, string value, Dictionary<string, string?> data)
    {
        try
        {
            using var json = JsonDocument.Parse(value);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            Flatten(path, json.RootElement, data);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void Flatten(string path, JsonElement element, Dictionary<string, string?> data)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten($"{path}:{property.Name}", property.Value, data);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten($"{path}:{index.ToString(CultureInfo.InvariantCulture)}", item, data);
                    index++;
                }

                break;
            case JsonValueKind.String:
                data[path] = element.GetString();
                break;
            case JsonValueKind.Null:
                data[path] = null;
                break;
            default:
                // Numbers and booleans as written (true/false are bound case-insensitively).
                data[path] = element.GetRawText();
                break;
        }
    }
}
