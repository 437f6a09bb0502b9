using DepHealth.AspNetCore;
using DepHealth.AspNetCore.Checks.Ldap;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// LDAP (type <c>ldap</c>) for DepHealth.AspNetCore, with System.DirectoryServices.Protocols (on Linux it loads
/// libldap, package <c>libldap-2.5-0</c> on Debian 12). Details: <c>ok timeout connection_refused dns_error
/// auth_error tls_error unhealthy error</c>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.CheckMethod"/>: <c>root_dse</c> (default, a base-scope search of the empty DN),
/// <c>anonymous_bind</c>, <c>simple_bind</c> (<see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.BindDN"/> and
/// <see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.BindPassword"/> required) or <c>search</c> (<see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.BaseDN"/>
/// required, or the URL path; <see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.SearchFilter"/> default <c>(objectClass=*)</c>;
/// <see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.SearchScope"/> <c>base</c>, <c>one</c> or <c>sub</c>, default <c>base</c>; size limit 1).
/// <c>root_dse</c> and <c>search</c> bind as BindDN when it is given, else anonymously.
/// <c>ldaps://</c> (default port 636) or <see cref="DepHealth.AspNetCore.Ldap.LdapOptionKeys.StartTls"/> (not both) use TLS;
/// <see cref="DependencyOptions.TlsSkipVerify"/> is supported on Windows only.
/// </para>
/// <para>
/// Result codes 49 and 50 are <c>auth_error</c>; 51 to 53 <c>unhealthy</c>; a server that cannot be reached is
/// classified by a plain TCP connection to it (refused, DNS, unreachable; TLS when that connects); a failed search,
/// for example of a base DN that does not exist, is <c>error</c>.
/// </para>
/// </remarks>
public static class LdapDependencyHealthBuilderExtensions
{
    /// <summary>
    /// Registers the <c>ldap</c> checker so that configuration alone can monitor LDAP
    /// (<c>DependencyHealth:Dependencies:&lt;name&gt;:Url=ldap://host:389</c> with <c>CheckMethod</c> and its options).
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddDependencyHealth</c>.</param>
    public static IDependencyHealthBuilder AddLdapChecks(this IDependencyHealthBuilder builder) =>
        builder.AddCheckerFactory<LdapCheckerFactory>();

    /// <summary>
    /// Adds an LDAP dependency from a URL, <c>ldap://host:389</c> or <c>ldaps://host:636</c> (several hosts give one
    /// endpoint each; a path is the default base DN). Every check opens its own connection. Without
    /// <paramref name="configure"/> the check is a RootDSE search.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="name">The dependency name.</param>
    /// <param name="url">The URL.</param>
    /// <param name="critical">Whether readiness depends on it.</param>
    /// <param name="configure">Sets the check method and its options, for example <c>d =&gt; { d.Options["CheckMethod"] = "simple_bind"; d.Options["BindDN"] = …; d.Options["BindPassword"] = …; }</c>.</param>
    public static IDependencyHealthBuilder AddLdap(
        this IDependencyHealthBuilder builder, string name, string url, bool critical, Action<DependencyOptions>? configure = null) =>
        builder.AddLdapChecks().AddDependency(name, d =>
        {
            d.Type = DependencyTypes.Ldap;
            d.Url = url;
            d.Critical = critical;
            configure?.Invoke(d);
        });
}
