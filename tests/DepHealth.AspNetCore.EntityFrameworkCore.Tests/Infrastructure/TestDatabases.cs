namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>The real servers' addresses and credentials, from the environment that <c>build/deps.sh</c> writes.</summary>
internal static class TestDatabases
{
    public static Uri PostgresUrl => new(RequiredEnvironment.Get("DEPHEALTH_TEST_POSTGRES_URL"));

    public static Uri MySqlUrl => new(RequiredEnvironment.Get("DEPHEALTH_TEST_MYSQL_URL"));

    /// <summary>A connection string for <paramref name="url"/>'s server, with its password unless one is given, plus <paramref name="extra"/>.</summary>
    public static string ConnectionString(Uri url, string? password = null, int? port = null, string extra = "")
    {
        var user = Uri.UnescapeDataString(url.UserInfo.Split(':')[0]);
        var secret = password ?? Uri.UnescapeDataString(url.UserInfo.Split(':', 2)[1]);
        return $"Server={url.Host};Port={port ?? url.Port};Database={url.AbsolutePath.TrimStart('/')};User ID={user};Password={secret};{extra}";
    }

    public static string Password(Uri url) => Uri.UnescapeDataString(url.UserInfo.Split(':', 2)[1]);
}
