using DepHealth.AspNetCore.Ldap;

namespace DepHealth.AspNetCore.Checks.Ldap;

/// <summary>Type <c>ldap</c> from configuration: a bind or search on a fresh connection per check.</summary>
internal sealed class LdapCheckerFactory : DependencyCheckerFactory<LdapCheckerSettings>
{
    public override IReadOnlyList<string> OptionKeys { get; } = [LdapOptionKeys.CheckMethod, LdapOptionKeys.BindDN, LdapOptionKeys.BindPassword, LdapOptionKeys.BaseDN, LdapOptionKeys.SearchFilter, LdapOptionKeys.SearchScope, LdapOptionKeys.StartTls, CheckerOptionKeys.TlsSkipVerify];

    public override string Type => DependencyTypes.Ldap;

    protected override LdapCheckerSettings Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) => LdapCheckerSettings.Parse(endpoint, errors);

    protected override IDependencyChecker Create(EndpointSpec endpoint, LdapCheckerSettings settings, IServiceProvider services)
        => new LdapChecker(settings, CheckTimeouts.Global(services));
}
