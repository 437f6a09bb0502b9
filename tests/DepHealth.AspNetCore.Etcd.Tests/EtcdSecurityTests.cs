using DepHealth.AspNetCore.Etcd.Tests.Infrastructure;
using static DepHealth.AspNetCore.Etcd.Tests.Infrastructure.EtcdTestKit;

namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>Username/password authentication (etcd's token) and TLS with a private CA and a client certificate, against a real etcd.</summary>
[Trait("Category", "integration")]
public sealed class EtcdSecurityTests
{
    private const string Prefix = "/secure/app";

    [Fact]
    public async Task Authenticated_source_loads_watches_and_authenticates_again_after_etcd_restarts()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await etcd.EnableAuthAsync();
        using var root = etcd.Client(root: true);
        await root.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Url", "tcp://127.0.0.1:1");
        await root.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Critical", "false");

        using var configuration = EtcdConfiguration(etcd.Url, Prefix, o =>
        {
            o.Username = "root";
            o.Password = EtcdServer.RootPassword;
        });
        var provider = Provider(configuration);
        await using var app = await StartAppAsync(configuration);
        Assert.Contains("\"db:127.0.0.1:1\"", await DetailsAsync(app), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => provider.IsWatching, "the authenticated watch is established");

        await root.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Url", "tcp://127.0.0.1:2");
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"db:127.0.0.1:2\"", StringComparison.Ordinal), "a watched change arrives", TimeSpan.FromSeconds(5));

        // A restart invalidates etcd's simple tokens: the source must authenticate again to resume.
        await etcd.KillAsync();
        await etcd.StartAgainAsync();
        using var root2 = etcd.Client(root: true);
        await root2.PutAsync($"{Prefix}/DependencyHealth/Dependencies/db/Url", "tcp://127.0.0.1:3");
        await Eventually.ValueAsync(() => DetailsAsync(app), d => d.Contains("\"db:127.0.0.1:3\"", StringComparison.Ordinal), "changes arrive after re-authentication", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Unauthenticated_or_wrong_password_reads_nothing_and_does_not_crash()
    {
        await using var etcd = await EtcdServer.StartAsync();
        await etcd.EnableAuthAsync();
        using var root = etcd.Client(root: true);
        await root.PutAsync($"{Prefix}/Secret", "value");
        var logs = new FakeLoggerProvider();

        using var anonymous = EtcdConfiguration(etcd.Url, Prefix, o => o.LoggerFactory = LoggingTo(logs));
        using var wrong = EtcdConfiguration(etcd.Url, Prefix, o =>
        {
            o.Username = "root";
            o.Password = "wrong-password";
            o.LoggerFactory = LoggingTo(logs);
        });

        Assert.Null(anonymous["Secret"]);
        Assert.Null(wrong["Secret"]);
        Assert.Equal(2, logs.WithEventId(5002).Count);
        Assert.DoesNotContain("wrong-password", logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tls_with_a_private_ca_and_a_client_certificate()
    {
        await using var etcd = await EtcdServer.StartAsync(tls: true);
        using var client = etcd.Client();
        await client.PutAsync($"{Prefix}/Key", "over-tls");

        using var configuration = EtcdConfiguration(etcd.Url, Prefix, o =>
        {
            o.CaFile = etcd.CaFile;
            o.ClientCertificateFile = etcd.ClientCertificateFile;
            o.ClientKeyFile = etcd.ClientKeyFile;
        });
        Assert.Equal("over-tls", configuration["Key"]);

        await client.PutAsync($"{Prefix}/Key", "watched-over-tls");
        await Eventually.TrueAsync(() => configuration["Key"] == "watched-over-tls", "the change arrives over TLS");

        // Without the CA the server's certificate is not trusted: nothing is read, nothing crashes.
        using var untrusted = EtcdConfiguration(etcd.Url, Prefix, o => o.StartupTimeout = TimeSpan.FromSeconds(2));
        Assert.Null(untrusted["Key"]);
    }
}
