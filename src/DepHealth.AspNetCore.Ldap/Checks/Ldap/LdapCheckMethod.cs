namespace DepHealth.AspNetCore.Checks.Ldap;

/// <summary>What an LDAP check does, from the <c>CheckMethod</c> option.</summary>
internal enum LdapCheckMethod
{
    /// <summary><c>root_dse</c> (default): a base-scope search of the empty DN for <c>(objectClass=*)</c>.</summary>
    RootDse,

    /// <summary><c>anonymous_bind</c>: an anonymous bind.</summary>
    AnonymousBind,

    /// <summary><c>simple_bind</c>: a simple bind with <c>BindDN</c> and <c>BindPassword</c>.</summary>
    SimpleBind,

    /// <summary><c>search</c>: a search under <c>BaseDN</c> with <c>SearchFilter</c> and <c>SearchScope</c>, size limit 1.</summary>
    Search,
}
