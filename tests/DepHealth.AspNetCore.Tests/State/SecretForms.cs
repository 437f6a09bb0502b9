using System.Text;
using System.Text.RegularExpressions;

namespace DepHealth.AspNetCore.Tests.State;

/// <summary>
/// Every form a credential can be given in, each with the secrets it carries: the value as written and every derived
/// form a driver or the HTTP stack may echo (decoded, percent-encoded, Basic base64, after "Bearer ").
/// </summary>
public static class SecretForms
{
    public sealed record Form(string Name, IReadOnlyDictionary<string, string> Options, IReadOnlyList<string> Secrets)
    {
        public override string ToString() => Name;
    }

    public static readonly IReadOnlyList<Form> All =
    [
        new("postgres url ?password=", Options(("Url", "postgres://app@db.svc/orders?password=pgq-S3CRET-01&sslmode=require")), ["pgq-S3CRET-01"]),
        new("postgres url ?sslpassword=", Options(("Url", "postgresql://app:pgp-S3CRET-02@db.svc/orders?sslpassword=pgs-S3CRET-03")), ["pgp-S3CRET-02", "pgs-S3CRET-03", Basic("app", "pgp-S3CRET-02")]),
        new("mysql url percent-encoded password", Options(("Url", "mysql://root:my%40pw%23S3CRET-04@db.svc:3306/shop")), ["my%40pw%23S3CRET-04", "my@pw#S3CRET-04"]),
        new("amqp url password with # and /", Options(("Url", "amqp://guest:amq-S3CRET-05#x/y@mq.svc:5672/vhost")), ["amq-S3CRET-05#x/y", "amq-S3CRET-05", Uri.EscapeDataString("amq-S3CRET-05#x/y")]),
        new("redis url password with @", Options(("Url", "rediss://default:red@S3CRET-06@cache.svc:6380/0")), ["red@S3CRET-06", "red%40S3CRET-06"]),
        new("redis url password only", Options(("Url", "redis://:red-S3CRET-07@cache.svc:6379")), ["red-S3CRET-07"]),
        new("ldap url user-info", Options(("Url", "ldaps://binder:ld%2FS3CRET-08@ldap.svc/dc=example,dc=org?pwd=ldq-S3CRET-08")), ["ld%2FS3CRET-08", "ld/S3CRET-08", "ldq-S3CRET-08"]),
        new("https url token as user name", Options(("Url", "https://tok3n-S3CRET-09@api.svc/health")), ["tok3n-S3CRET-09"]),
        new("url token query parameters", Options(("Url", "https://api.svc/health?token=qt-S3CRET-10&x=1&api_key=qa-S3CRET-11&sig=qs-S3CRET-12&client_secret=qc-S3CRET-13&access_token=qx%2BS3CRET-14")), ["qt-S3CRET-10", "qa-S3CRET-11", "qs-S3CRET-12", "qc-S3CRET-13", "qx%2BS3CRET-14", "qx+S3CRET-14"]),
        new("health path token query parameters", Options(("HealthPath", "/health?apikey=hp-S3CRET-15&x=1&signature=hs-S3CRET-16&session=hz-S3CRET-17")), ["hp-S3CRET-15", "hs-S3CRET-16", "hz-S3CRET-17"]),
        new("credential headers", Options(
            ("Headers:X-Api-Key", "hk-S3CRET-18"),
            ("Headers:X-Auth-Token", "ht-S3CRET-19"),
            ("Headers:Cookie", "sid=hc-S3CRET-20"),
            ("Headers:X-Session-Id", "hs-S3CRET-21"),
            ("Headers:X-Client-Secret", "hx-S3CRET-22"),
            ("Headers:X-Password", "hw-S3CRET-23")), ["hk-S3CRET-18", "ht-S3CRET-19", "sid=hc-S3CRET-20", "hs-S3CRET-21", "hx-S3CRET-22", "hw-S3CRET-23"]),
        new("authorization headers", Options(
            ("Headers:Authorization", "Bearer ha-S3CRET-24"),
            ("Headers:Proxy-Authorization", "Basic " + Basic("proxy", "hp-S3CRET-25"))), ["Bearer ha-S3CRET-24", "ha-S3CRET-24", Basic("proxy", "hp-S3CRET-25"), "hp-S3CRET-25"]),
        new("connection string keys", Options(("ConnectionString", "Host=db.svc;Username=app;Password=cp-S3CRET-26;SslPassword=cs-S3CRET-27;Token=ct-S3CRET-28")), ["cp-S3CRET-26", "cs-S3CRET-27", "ct-S3CRET-28"]),
        new("connection string pwd", Options(("ConnectionString", "Server=db.svc;Uid=app;Pwd='cw;S3CRET-29'")), ["cw;S3CRET-29"]),
        new("bearer token option", Options(("BearerToken", "bt-S3CRET-30")), ["bt-S3CRET-30", "Bearer bt-S3CRET-30"]),
        new("basic auth options", Options(("BasicUsername", "svc"), ("BasicPassword", "bp-S3CRET-31")), ["bp-S3CRET-31", Basic("svc", "bp-S3CRET-31")]),
        new("url basic credentials", Options(("Url", "http://svc:ub-S3CRET-32@api.svc/health")), ["ub-S3CRET-32", Basic("svc", "ub-S3CRET-32")]),
        new("option keys naming a secret", Options(
            ("ApiKey", "ok-S3CRET-33"),
            ("ClientSecret", "oc-S3CRET-34"),
            ("AccessToken", "oa-S3CRET-35"),
            ("BindPassword", "ob-S3CRET-36"),
            ("Password", "op-S3CRET-37"),
            ("Metadata:x-api-key", "om-S3CRET-38")), ["ok-S3CRET-33", "oc-S3CRET-34", "oa-S3CRET-35", "ob-S3CRET-36", "op-S3CRET-37", "om-S3CRET-38"]),
        new("user-info in another url-valued option", Options(
            ("ProxyUrl", "http://proxy-user:px-S3CRET-39@proxy.svc:3128"),
            ("Callback", "https://hook.svc/cb?x=1&sig=cb-S3CRET-40")), ["px-S3CRET-39", Basic("proxy-user", "px-S3CRET-39"), "cb-S3CRET-40"]),
    ];

    /// <summary>The form names, one theory case each.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var form in All)
        {
            data.Add(form.Name);
        }

        return data;
    }

    public static Form Named(string name) => All.Single(f => f.Name == name);

    /// <summary>What a driver may echo of an endpoint's options: every value as given and decoded, and every derived form.</summary>
    public static string Echo(Form form) =>
        string.Join(" | ", form.Options.Select(o => $"{o.Key}={o.Value} ({Unescaped(o.Value)})").Concat(form.Secrets));

    /// <summary>The secrets of <paramref name="form"/> found in <paramref name="text"/>.</summary>
    public static List<string> Leaked(Form form, string text) =>
        form.Secrets.Concat(Markers(form)).Distinct().Where(s => text.Contains(s, StringComparison.Ordinal)).ToList();

    /// <summary>The <c>S3CRET-nn</c> core of each secret: found in any output, part of a secret leaked (escaped, cut or decoded).</summary>
    private static IEnumerable<string> Markers(Form form) =>
        form.Secrets.Concat(form.Options.Values).SelectMany(s => Regex.Matches(s, "S3CRET-[0-9]{2}").Select(m => m.Value));

    public static string Basic(string user, string password) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    private static string Unescaped(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }

    private static Dictionary<string, string> Options(params (string Key, string Value)[] options) =>
        options.ToDictionary(o => o.Key, o => o.Value, StringComparer.OrdinalIgnoreCase);
}
