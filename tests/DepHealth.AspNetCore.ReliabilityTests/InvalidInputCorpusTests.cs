using System.Net;
using System.Text;
using System.Text.Json;

namespace DepHealth.AspNetCore.ReliabilityTests;

/// <summary>
/// A generated corpus of more than a thousand invalid registry requests: each gets 400 with a problem body naming the
/// field and the rule, and the registry is byte-for-byte unchanged afterwards.
/// </summary>
[Trait("Category", "integration")]
public sealed class InvalidInputCorpusTests
{
    private const string Valid = """{"dependency":"orders","type":"http","host":"orders.svc","port":8080,"critical":true}""";

    private sealed record Case(string Description, string Body, string ContentType, string Field, bool Put = false, byte[]? Raw = null);

    private static string With(string property, string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        node[property] = System.Text.Json.Nodes.JsonNode.Parse(json);
        return node.ToJsonString();
    }

    private static string Without(string property)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        node.Remove(property);
        return node.ToJsonString();
    }

    private static string Str(string value) => JsonSerializer.Serialize(value);

    private static List<Case> Corpus()
    {
        var cases = new List<Case>();
        void Add(string description, string body, string field, string contentType = "application/json") =>
            cases.Add(new Case(description, body, contentType, field));

        // Dependency names: upper case, too long, leading digits or dashes, other characters.
        var badNames = new List<string> { "", "A", "Orders", "ORDERS", "orDers", "1orders", "9", "-orders", "_orders", "or_ders", "or.ders", "or ders", "orders!", "ordérs", "orders\n", " orders" };
        for (var length = 64; length <= 120; length += 4)
        {
            badNames.Add(new string('a', length));
        }

        for (var c = 'A'; c <= 'Z'; c++)
        {
            badNames.Add($"dep{c}x");
            badNames.Add($"{char.ToLowerInvariant(c)}{c}");
        }

        foreach (var digit in "0123456789")
        {
            badNames.Add($"{digit}dep");
        }

        foreach (var name in badNames)
        {
            Add($"dependency {name}", With("dependency", Str(name)), "dependency");
        }

        // Ports: out of range, not numbers.
        var badPorts = new List<string> { "0", "65536", "-1", "70000", "99999999999", "1.5", "\"abc\"", "\"\"", "true", "null", "[]", "{}", "\"80a\"", "\"-80\"", "\"0\"", "\"65536\"", "1e3" };
        for (var port = 65536; port < 65600; port += 3)
        {
            badPorts.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var port in badPorts)
        {
            Add($"port {port}", With("port", port), "port");
        }

        // Label names: reserved or malformed.
        var badLabels = new List<string> { "name", "group", "dependency", "type", "host", "port", "critical", "status", "detail", "le", "__meta", "1abc", "with-dash", "with space", "dot.ted", "ünï", "" };
        for (var i = 0; i < 40; i++)
        {
            badLabels.Add($"{i}label");
            badLabels.Add($"label-{i}");
        }

        foreach (var label in badLabels)
        {
            Add($"label {label}", With("labels", $"{{{Str(label)}:\"v\"}}"), $"labels.{label}");
        }

        // Unknown types.
        foreach (var type in new[] { "smtp", "HTTP", "Postgres", "postgresql", "tcp ", "", "redis-cluster", "mongodb", "http2", "grpcs", "amqps", "ldaps", "Kafka", "MYSQL" })
        {
            Add($"type {type}", With("type", Str(type)), "type");
        }

        // Conflicting ways to authenticate.
        string[][] auth =
        [
            ["BearerToken", "BasicUsername"],
            ["BearerToken", "Headers:Authorization"],
            ["BasicUsername", "Headers:Authorization"],
        ];
        for (var i = 0; i < 30; i++)
        {
            var pair = auth[i % auth.Length];
            var options = $"{{{Str(pair[0])}:\"secret-{i}\",{Str(pair[1])}:\"Bearer x{i}\",\"BasicPassword\":\"p{i}\"}}";
            Add($"auth {pair[0]}+{pair[1]} #{i}", With("options", options), "options.BearerToken");
        }

        // Timeout not below the interval, and settings out of range.
        for (var seconds = 1; seconds <= 30; seconds++)
        {
            var body = With("checkInterval", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
            body = System.Text.Json.Nodes.JsonNode.Parse(body)!.AsObject().Also(o => o["timeout"] = seconds).ToJsonString();
            Add($"timeout = interval = {seconds}s", body, "timeout");
        }

        foreach (var (field, value) in new[]
        {
            ("checkInterval", "0.5"), ("checkInterval", "601"), ("checkInterval", "\"00:00:00.999\""), ("checkInterval", "\"00:10:01\""),
            ("timeout", "0.05"), ("timeout", "31"), ("timeout", "\"00:00:00.099\""), ("initialDelay", "301"), ("initialDelay", "\"00:05:01\""),
            ("failureThreshold", "0"), ("failureThreshold", "11"), ("failureThreshold", "-1"), ("successThreshold", "0"), ("successThreshold", "11"),
            ("checkInterval", "\"soon\""), ("timeout", "\"1s\""), ("failureThreshold", "1.5"), ("successThreshold", "\"2\""), ("checkInterval", "-5"),
        })
        {
            Add($"{field} {value}", With(field, value), field);
        }

        // Missing required fields and wrong JSON types.
        foreach (var field in new[] { "dependency", "type", "host", "port", "critical" })
        {
            Add($"missing {field}", Without(field), field);
            Add($"{field} null", With(field, "null"), field);
        }

        foreach (var (field, value) in new[] { ("dependency", "42"), ("type", "[]"), ("host", "{}"), ("critical", "\"yes\""), ("critical", "1"), ("labels", "[]"), ("labels", "\"x\""), ("options", "7"), ("labels", "{\"a\":1}") })
        {
            Add($"{field} as {value}", With(field, value), field.StartsWith("labels", StringComparison.Ordinal) && value.StartsWith('{') ? "labels.a" : field);
        }

        // Hosts that are not host names.
        foreach (var host in new[] { "", " ", "[::1]", "host name", "http://h", "h/x", "h:80", "a@b", "h\tx", new string('h', 254) })
        {
            Add($"host {host}", With("host", Str(host)), "host");
        }

        // Unknown fields.
        for (var i = 0; i < 30; i++)
        {
            Add($"unknown field {i}", With($"extra{i}", "1"), $"extra{i}");
        }

        // Malformed JSON: every proper prefix of a valid body.
        for (var length = 1; length < Valid.Length; length++)
        {
            Add($"truncated at {length}", Valid[..length], "body");
        }

        foreach (var garbage in new[] { "", "null", "[]", "42", "\"str\"", "{", "}", "{]", "{\"dependency\":}", "<xml/>", "dependency=orders", "{'dependency':'orders'}" })
        {
            Add($"malformed {garbage}", garbage, "body");
        }

        // Wrong content types.
        foreach (var contentType in new[] { "text/plain", "application/xml", "text/json-ish", "application/x-www-form-urlencoded", "multipart/form-data", "application/octet-stream", "text/html" })
        {
            Add($"content type {contentType}", Valid, "body", contentType);
        }

        // Oversized bodies.
        foreach (var size in new[] { 65 * 1024, 100 * 1024, 256 * 1024, 1024 * 1024 })
        {
            Add($"{size} bytes", With("labels", $"{{\"big\":{Str(new string('x', size))}}}"), "body");
        }

        // Option values the HTTP stack refuses, for every type that sends them.
        foreach (var (type, port) in new[] { ("http", 8080), ("grpc", 8080) })
        {
            string Typed(string options) => With("options", options).Replace("\"type\":\"http\"", $"\"type\":\"{type}\"", StringComparison.Ordinal);
            foreach (var token in new[] { "a\\r\\nX-Injected: 1", "a\\u0000b", "a b", "", "\\u00e9t\\u00e9", "a\\tb" })
            {
                Add($"{type} bearer {token}", Typed($"{{\"BearerToken\":\"{token}\"}}"), "options.BearerToken");
            }

            foreach (var key in new[] { "HealtPath", "Healthpath ", "Timeout", "Url2", "Header:X", "Headers", "Metadata", "Lables", "X" })
            {
                Add($"{type} unknown option {key}", Typed($"{{{Str(key)}:\"v\"}}"), $"options.{key.Replace(':', '.')}");
            }

            Add($"{type} url of another host", Typed($"{{\"Url\":\"http://other.svc:{port}/\"}}"), "options.Url");
            Add($"{type} url of another port", Typed("{\"Url\":\"http://orders.svc:9/\"}"), "options.Url");
            Add($"{type} url without host", Typed("{\"Url\":\"http:///health\"}"), "options.Url");
            Add($"{type} url without scheme", Typed("{\"Url\":\"orders.svc:8080\"}"), "options.Url");
            Add($"{type} option value too long", Typed($"{{\"BasicPassword\":{Str(new string('p', 8193))},\"BasicUsername\":\"u\"}}"), "options.BasicPassword");
        }

        foreach (var method in new[] { "G E T", "GET\\r\\n", "get", "G\\u0000T", "", "GET/1.1", new string('A', 21) })
        {
            Add($"method {method}", With("options", $"{{\"Method\":\"{method}\"}}"), "options.Method");
        }

        foreach (var value in new[] { "B@d x", "", " ", "Bearer a\\u0000", "Bearer a\\r\\nb", ",", "(x) y" })
        {
            Add($"authorization header {value}", With("options", $"{{\"Headers\":{{\"Authorization\":\"{value}\"}}}}"), "options.Headers.Authorization");
        }

        foreach (var value in new[] { "a\\u0000b", "a\\r\\nb", "a\\nb", "\\u00e9", "\\u0007" })
        {
            Add($"header value {value}", With("options", $"{{\"Headers\":{{\"X-Token\":\"{value}\"}}}}"), "options.Headers.X-Token");
        }

        foreach (var name in new[] { "X Token", "X:Token", "X(Token)", "X\\u00e9", "X@Y" })
        {
            Add($"header name {name}", With("options", $"{{\"Headers\":{{\"{name}\":\"v\"}}}}"), $"options.Headers.{name.Replace("\\u00e9", "\u00e9", StringComparison.Ordinal).Replace(':', '.')}");
        }

        foreach (var path in new[] { "/a\\u0000", "/a#b", "/a\\u0007", "health" })
        {
            Add($"health path {path}", With("options", $"{{\"HealthPath\":\"{path}\"}}"), "options.HealthPath");
        }

        Add("redis option on http", With("options", "{\"Database\":\"1\"}"), "options.Database");
        Add("options over the count", With("options", "{" + string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"Headers:X-{i}\":\"v\"")) + "}"), "options");
        Add("headers over the count", With("options", "{\"Headers\":{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"X-{i}\":\"v\"")) + "}}"), "options");
        Add("option key too long", With("options", $"{{{Str("Headers:" + new string('k', 200))}:\"v\"}}"), $"options.Headers.{new string('k', 120)}…");

        // Labels over the bounds.
        Add("33 labels", With("labels", "{" + string.Join(",", Enumerable.Range(0, 33).Select(i => $"\"l{i}\":\"v\"")) + "}"), "labels");
        Add("5000 labels", With("labels", "{" + string.Join(",", Enumerable.Range(0, 5000).Select(i => $"\"l{i}\":\"v\"")) + "}"), "labels");
        Add("label value of 257 characters", With("labels", $"{{\"role\":{Str(new string('r', 257))}}}"), "labels.role");

        // Duplicate fields, labels and options, also differing only in case.
        Add("duplicate dependency", Valid.Replace("{", "{\"dependency\":\"other\",", StringComparison.Ordinal), "dependency");
        Add("duplicate port in another case", Valid.Replace("{", "{\"Port\":9090,", StringComparison.Ordinal), "port");
        Add("duplicate label", With("labels", "{\"a\":\"1\"}").Replace("\"a\":\"1\"", "\"a\":\"1\",\"a\":\"2\"", StringComparison.Ordinal), "labels.a");
        Add("duplicate option in another case", With("options", "{\"HealthPath\":\"/a\"}").Replace("\"HealthPath\":\"/a\"", "\"HealthPath\":\"/a\",\"healthpath\":\"/b\"", StringComparison.Ordinal), "options.healthpath");
        Add("duplicate header flat and nested", With("options", "{\"Headers:X-A\":\"1\",\"Headers\":{\"x-a\":\"2\"}}"), "options.Headers.x-a");

        // Strings that are not Unicode: lone surrogate escapes in values and names.
        foreach (var escape in new[] { "\\ud800", "\\udfff", "a\\ud83d", "\\udc00\\ud800" })
        {
            // Spliced into the text: the JSON node API used to build the other cases cannot hold such strings.
            Add($"dependency {escape}", With("dependency", "\"@@\"").Replace("@@", escape, StringComparison.Ordinal), "body");
            Add($"label value {escape}", With("labels", "{\"role\":\"@@\"}").Replace("@@", escape, StringComparison.Ordinal), "body");
            Add($"option value {escape}", With("options", "{\"BearerToken\":\"@@\"}").Replace("@@", escape, StringComparison.Ordinal), "body");
            Add($"field name {escape}", With("labels", "{}").Replace("\"labels\"", $"\"{escape}\"", StringComparison.Ordinal), "body");
        }

        // Huge numbers and deep nesting.
        foreach (var (field, number) in new[] { ("port", "1e400"), ("port", "123456789012345678901234567890"), ("checkInterval", "1e400"), ("timeout", "-1e400"), ("failureThreshold", "99999999999999999999"), ("successThreshold", "1e10") })
        {
            Add($"{field} {number}", With(field, number), field);
        }

        Add("deep nesting", With("labels", new string('[', 40) + new string(']', 40)), "body");
        Add("deep nesting past the reader's limit", Valid[..^1] + ",\"x\":" + new string('[', 5000) + new string(']', 5000) + "}", "body");

        // Bytes that are not UTF-8, anywhere in the body.
        foreach (var bad in new byte[][] { [0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf] })
        {
            foreach (var field in new[] { "dependency", "host" })
            {
                var text = With(field, "\"@\"");
                var at = Encoding.UTF8.GetBytes(text[..text.IndexOf('@', StringComparison.Ordinal)]);
                var rest = Encoding.UTF8.GetBytes(text[(text.IndexOf('@', StringComparison.Ordinal) + 1)..]);
                cases.Add(new Case($"invalid UTF-8 {Convert.ToHexString(bad)} in {field}", text, "application/json", "body", Raw: [.. at, .. bad, .. rest]));
            }
        }

        // The same rule broken on endpoints of other types and critical flags.
        var variants = new List<Case>();
        foreach (var (from, to) in new[] { ("\"type\":\"http\"", "\"type\":\"tcp\""), ("\"critical\":true", "\"critical\":false") })
        {
            variants.AddRange(cases
                .Where(c => c.Body.Contains(from, StringComparison.Ordinal) && !c.Field.StartsWith("options", StringComparison.Ordinal) && c.Field is not ("body" or "type" or "critical"))
                .Select(c => c with { Description = $"{c.Description} ({to})", Body = c.Body.Replace(from, to, StringComparison.Ordinal) }));
        }

        cases.AddRange(variants);

        // The same invalid bodies through PUT of an existing endpoint.
        var puts = cases.Where((_, i) => i % 4 == 0).Select(c => c with { Description = "PUT " + c.Description, Put = true }).ToList();
        cases.AddRange(puts);
        return cases;
    }

    [Fact]
    public async Task Every_invalid_request_gets_400_naming_the_field_and_rule_and_changes_nothing()
    {
        var corpus = Corpus();
        Assert.True(corpus.Count >= 1000, $"the corpus has {corpus.Count} cases");
        await using var app = await TestWebApp.StartAsync(o => o.Registry.MutationsPerSecond = 0, time: new TimerTrackingTimeProvider());
        using (var seed = await app.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), new StringContent(Valid, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, seed.StatusCode);
        }

        // The endpoint's one check (the clock never moves) must be over first: its series appearing later is no change.
        var (_, metricsBefore) = await Eventually.ValueAsync(
            () => app.GetAsync("/metrics"), r => r.Body.Contains("dependency=\"orders\"", StringComparison.Ordinal), "the seeded endpoint's check is recorded");
        var before = await app.Client.GetByteArrayAsync(new Uri("/admin/endpoints", UriKind.Relative));
        var failures = new List<string>();
        foreach (var @case in corpus)
        {
            using var content = new ByteArrayContent(@case.Raw ?? Encoding.UTF8.GetBytes(@case.Body));
            content.Headers.TryAddWithoutValidation("Content-Type", @case.ContentType);
            using var response = @case.Put
                ? await app.Client.PutAsync(new Uri("/admin/endpoints/orders/orders.svc/8080", UriKind.Relative), content)
                : await app.Client.PostAsync(new Uri("/admin/endpoints", UriKind.Relative), content);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{@case.Description}: {(int)response.StatusCode} {body}");
                continue;
            }

            var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
            if (!errors.TryGetProperty(@case.Field, out var messages) || messages.GetArrayLength() == 0 || string.IsNullOrWhiteSpace(messages[0].GetString()))
            {
                failures.Add($"{@case.Description}: expected an error on '{@case.Field}', got {errors}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} cases failed:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(before, await app.Client.GetByteArrayAsync(new Uri("/admin/endpoints", UriKind.Relative)));
        Assert.Equal(
            metricsBefore.Split('\n').Where(l => !l.StartsWith("app_dependency_registry_changes_total", StringComparison.Ordinal)),
            (await app.GetAsync("/metrics")).Body.Split('\n').Where(l => !l.StartsWith("app_dependency_registry_changes_total", StringComparison.Ordinal)));
    }
}

internal static class JsonObjectExtensions
{
    public static System.Text.Json.Nodes.JsonObject Also(this System.Text.Json.Nodes.JsonObject node, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        change(node);
        return node;
    }
}
