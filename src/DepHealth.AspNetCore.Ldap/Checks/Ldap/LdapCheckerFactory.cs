namespace DepHealth.AspNetCore.Checks.Ldap;

/// <summary>Type <c>ldap</c> from configuration: a bind or search on a fresh connection per check.</summary>
internal sealed class LdapCheckerFactory : IDependencyCheckerFactory, ICheckerOptionKeys
{
    public IReadOnlyList<string> OptionKeys { get; } = [CheckerOptionKeys.CheckMethod, CheckerOptionKeys.BindDN, CheckerOptionKeys.BindPassword, CheckerOptionKeys.BaseDN, CheckerOptionKeys.SearchFilter, CheckerOptionKeys.SearchScope, CheckerOptionKeys.StartTls, CheckerOptionKeys.TlsSkipVerify];

    public string Type => DependencyTypes.Ldap;

    public void Validate(EndpointSpec endpoint, ICollection<EndpointValidationError> errors) =>
        LdapCheckerSettings.Parse(endpoint, errors);

    public IDependencyChecker Create(EndpointSpec endpoint, IServiceProvider services)
    {
        var errors = new List<EndpointValidationError>();
        var settings = LdapCheckerSettings.Parse(endpoint, errors);
        return errors.Count > 0
            ? throw new EndpointValidationException(errors)
            : new LdapChecker(settings, CheckTimeouts.Global(services));
    }
}
