using System.DirectoryServices.Protocols;
using DepHealth.AspNetCore.Ldap;

namespace DepHealth.AspNetCore.Checks.Ldap;

/// <summary>
/// The LDAP checker's options: <c>CheckMethod</c>, <c>BindDN</c>/<c>BindPassword</c>, <c>BaseDN</c> (or the
/// <c>ldap://host/base-dn</c> URL path), <c>SearchFilter</c>, <c>SearchScope</c>, <c>StartTls</c>, <c>TlsSkipVerify</c>.
/// <c>ldaps://</c> (or port 636 without a URL) connects with TLS.
/// </summary>
internal sealed class LdapCheckerSettings
{
    public const string DefaultFilter = "(objectClass=*)";
    private const int DefaultLdapsPort = 636;

    public LdapCheckMethod Method { get; private init; }

    public string? BindDN { get; private init; }

    public string? BindPassword { get; private init; }

    public string BaseDN { get; private init; } = string.Empty;

    public string Filter { get; private init; } = DefaultFilter;

    public SearchScope Scope { get; private init; } = SearchScope.Base;

    public bool StartTls { get; private init; }

    public bool SkipTlsVerify { get; private init; }

    /// <summary>True for <c>ldaps://</c>, false for <c>ldap://</c>, null without a URL (then port 636 means ldaps).</summary>
    public bool? Ldaps { get; private init; }

    public bool UsesLdaps(EndpointSpec endpoint) => Ldaps ?? endpoint.Port == DefaultLdapsPort;

    public bool UsesTls(EndpointSpec endpoint) => StartTls || UsesLdaps(endpoint);

    public static LdapCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        bool? ldaps = null;
        string? urlBaseDN = null;
        var url = endpoint.GetOption(CheckerOptionKeys.Url);
        if (url is not null)
        {
            if (!ConnectionUrl.TryParse(url, out var parsed, out var error))
            {
                errors.Add(new(CheckerOptionKeys.Url, error!));
            }
            else if (parsed.Scheme is not ("ldap" or "ldaps"))
            {
                errors.Add(new(CheckerOptionKeys.Url, "must use the ldap or ldaps scheme for type ldap"));
            }
            else
            {
                ldaps = parsed.Scheme == "ldaps";
                if (parsed.Path.Length > 0)
                {
                    urlBaseDN = Uri.UnescapeDataString(parsed.Path);
                }
            }
        }

        var methodText = endpoint.GetOption(LdapOptionKeys.CheckMethod);
        LdapCheckMethod? method = methodText?.ToLowerInvariant() switch
        {
            null => LdapCheckMethod.RootDse,
            "root_dse" => LdapCheckMethod.RootDse,
            "anonymous_bind" => LdapCheckMethod.AnonymousBind,
            "simple_bind" => LdapCheckMethod.SimpleBind,
            "search" => LdapCheckMethod.Search,
            _ => null,
        };
        if (method is null)
        {
            errors.Add(new(LdapOptionKeys.CheckMethod, "must be anonymous_bind, simple_bind, root_dse or search"));
        }

        var bindDN = NullIfEmpty(endpoint.GetOption(LdapOptionKeys.BindDN));
        var bindPassword = endpoint.GetOption(LdapOptionKeys.BindPassword);
        if (method == LdapCheckMethod.SimpleBind && bindDN is null)
        {
            errors.Add(new(LdapOptionKeys.BindDN, "is required for simple_bind"));
        }

        if (method == LdapCheckMethod.SimpleBind && string.IsNullOrEmpty(bindPassword))
        {
            // An empty password would be an unauthenticated bind, which servers accept without checking anything.
            errors.Add(new(LdapOptionKeys.BindPassword, "is required for simple_bind"));
        }

        if (method is LdapCheckMethod.RootDse or LdapCheckMethod.Search && bindDN is not null && string.IsNullOrEmpty(bindPassword))
        {
            errors.Add(new(LdapOptionKeys.BindPassword, "is required when BindDN is given"));
        }

        var baseDN = NullIfEmpty(endpoint.GetOption(LdapOptionKeys.BaseDN)) ?? urlBaseDN;
        if (method == LdapCheckMethod.Search && baseDN is null)
        {
            errors.Add(new(LdapOptionKeys.BaseDN, "is required for search"));
        }

        var filter = endpoint.GetOption(LdapOptionKeys.SearchFilter) ?? DefaultFilter;
        if (filter.Length < 3 || filter[0] != '(' || filter[^1] != ')')
        {
            errors.Add(new(LdapOptionKeys.SearchFilter, "must be an LDAP filter in parentheses, for example (objectClass=*)"));
        }

        var scopeText = endpoint.GetOption(LdapOptionKeys.SearchScope);
        SearchScope? scope = scopeText?.ToLowerInvariant() switch
        {
            null => SearchScope.Base,
            "base" => SearchScope.Base,
            "one" => SearchScope.OneLevel,
            "sub" => SearchScope.Subtree,
            _ => null,
        };
        if (scope is null)
        {
            errors.Add(new(LdapOptionKeys.SearchScope, "must be base, one or sub"));
        }

        var startTls = ParseBool(endpoint, LdapOptionKeys.StartTls, errors);
        var skipVerify = ParseBool(endpoint, CheckerOptionKeys.TlsSkipVerify, errors);
        var settings = new LdapCheckerSettings
        {
            Method = method ?? LdapCheckMethod.RootDse,
            BindDN = bindDN,
            BindPassword = bindPassword,
            BaseDN = method == LdapCheckMethod.RootDse ? string.Empty : baseDN ?? string.Empty,
            Filter = method == LdapCheckMethod.RootDse ? DefaultFilter : filter,
            Scope = method == LdapCheckMethod.RootDse ? SearchScope.Base : scope ?? SearchScope.Base,
            StartTls = startTls,
            SkipTlsVerify = skipVerify,
            Ldaps = ldaps,
        };

        if (startTls && settings.UsesLdaps(endpoint))
        {
            errors.Add(new(LdapOptionKeys.StartTls, "cannot be combined with ldaps: the connection is already TLS"));
        }

        if (skipVerify && settings.UsesTls(endpoint) && !OperatingSystem.IsWindows())
        {
            // System.DirectoryServices.Protocols has no per-connection switch for libldap's certificate check;
            // the process-wide one (LDAPTLS_REQCERT) would weaken every other LDAP connection of the application.
            errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "is only supported on Windows: trust the server's CA instead (LDAPTLS_CACERT or TLS_CACERT in ldap.conf)"));
        }

        return settings;
    }

    private static bool ParseBool(EndpointSpec endpoint, string key, ICollection<EndpointValidationError> errors)
    {
        var text = endpoint.GetOption(key);
        if (text is null)
        {
            return false;
        }

        if (!bool.TryParse(text, out var value))
        {
            errors.Add(new(key, "must be true or false"));
        }

        return value;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
