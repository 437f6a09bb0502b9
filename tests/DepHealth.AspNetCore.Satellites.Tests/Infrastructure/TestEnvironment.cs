namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>The real servers' addresses, from the environment that <c>build/deps.sh</c> writes.</summary>
internal static class TestEnvironment
{
    public static string PostgresUrl => Require("DEPHEALTH_TEST_POSTGRES_URL");

    public static string MySqlUrl => Require("DEPHEALTH_TEST_MYSQL_URL");

    public static string RedisUrl => Require("DEPHEALTH_TEST_REDIS_URL");

    public static string RedisAclUrl => Require("DEPHEALTH_TEST_REDIS_ACL_URL");

    public static string AmqpUrl => Require("DEPHEALTH_TEST_AMQP_URL");

    public static string LdapUrl => Require("DEPHEALTH_TEST_LDAP_URL");

    public static string LdapBaseDN => Require("DEPHEALTH_TEST_LDAP_BASE_DN");

    public static string LdapBindDN => Require("DEPHEALTH_TEST_LDAP_BIND_DN");

    public static string LdapBindPassword => Require("DEPHEALTH_TEST_LDAP_BIND_PASSWORD");

    /// <summary>A missing variable fails the test: these tests never skip.</summary>
    public static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"Environment variable {name} is not set. Start the test servers with 'bash build/deps.sh start' and 'source build/.deps.env'.");
}
