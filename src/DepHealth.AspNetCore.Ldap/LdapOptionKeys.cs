namespace DepHealth.AspNetCore.Ldap;

/// <summary>The option keys of type <c>ldap</c>, for <see cref="DependencyOptions.Options"/> and configuration.</summary>
public static class LdapOptionKeys
{
    /// <summary><c>anonymous_bind</c>, <c>simple_bind</c>, <c>root_dse</c> (default) or <c>search</c>.</summary>
    public const string CheckMethod = "CheckMethod";

    /// <summary>The bind DN for <c>simple_bind</c>.</summary>
    public const string BindDN = "BindDN";

    /// <summary>The bind password for <c>simple_bind</c>; a secret, never shown.</summary>
    public const string BindPassword = "BindPassword";

    /// <summary>The base DN for <c>search</c>.</summary>
    public const string BaseDN = "BaseDN";

    /// <summary>The search filter; default <c>(objectClass=*)</c>.</summary>
    public const string SearchFilter = "SearchFilter";

    /// <summary><c>base</c>, <c>one</c> or <c>sub</c>.</summary>
    public const string SearchScope = "SearchScope";

    /// <summary><c>true</c> to upgrade the connection with StartTLS.</summary>
    public const string StartTls = "StartTls";
}
