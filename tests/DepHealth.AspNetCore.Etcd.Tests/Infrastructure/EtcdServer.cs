using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DepHealth.AspNetCore.Etcd.Client;

namespace DepHealth.AspNetCore.Etcd.Tests.Infrastructure;

/// <summary>
/// A private etcd (the Debian etcd-server binary that build/deps.sh installs) on free loopback ports with its own data
/// directory, for tests that stop, restart or compact etcd without disturbing the shared instance. Only this
/// process is ever killed, by its id.
/// </summary>
public sealed class EtcdServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/etcd";
    public const string RootPassword = "root-test-secret";

    private readonly string _directory;
    private readonly int _peerPort;
    private Process? _process;

    private EtcdServer(bool tls)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: install etcd with 'bash build/deps.sh start etcd' (Debian package etcd-server).");
        }

        _directory = Directory.CreateTempSubdirectory("dephealth-etcd-").FullName;
        ClientPort = LocalPorts.Unused();
        _peerPort = LocalPorts.Unused();
        Tls = tls;
        if (tls)
        {
            WriteCertificates();
        }
    }

    public int ClientPort { get; }

    public bool Tls { get; }

    public Uri Url => new($"{(Tls ? "https" : "http")}://127.0.0.1:{ClientPort}");

    public string CaFile => Path.Combine(_directory, "ca.pem");

    public string ClientCertificateFile => Path.Combine(_directory, "client.pem");

    public string ClientKeyFile => Path.Combine(_directory, "client-key.pem");

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<EtcdServer> StartAsync(bool tls = false)
    {
        var server = new EtcdServer(tls);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>A client of this server; with <paramref name="root"/> it authenticates as root.</summary>
    internal EtcdClient Client(bool root = false) => new(new EtcdClientSettings
    {
        Endpoints = [Url],
        Username = root ? "root" : null,
        Password = root ? RootPassword : null,
        CaFile = Tls ? CaFile : null,
        ClientCertificateFile = Tls ? ClientCertificateFile : null,
        ClientKeyFile = Tls ? ClientKeyFile : null,
    });

    /// <summary>Starts etcd (again) on the same ports and data directory, and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        var scheme = Tls ? "https" : "http";
        var arguments = new List<string>
        {
            "--name", "test", "--data-dir", Path.Combine(_directory, "data"),
            "--listen-client-urls", $"{scheme}://127.0.0.1:{ClientPort}", "--advertise-client-urls", $"{scheme}://127.0.0.1:{ClientPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{_peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{_peerPort}",
            "--initial-cluster", $"test=http://127.0.0.1:{_peerPort}", "--initial-cluster-token", "test", "--initial-cluster-state", "new",
        };
        if (Tls)
        {
            arguments.AddRange([
                "--cert-file", Path.Combine(_directory, "server.pem"), "--key-file", Path.Combine(_directory, "server-key.pem"),
                "--trusted-ca-file", CaFile, "--client-cert-auth",
            ]);
        }

        var start = new ProcessStartInfo(Binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var log = Path.Combine(_directory, "etcd.log");
        var process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start");
        process.OutputDataReceived += (_, e) => Append(log, e.Data);
        process.ErrorDataReceived += (_, e) => Append(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var client = Client();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await client.RangeAsync("/health-probe");
                return;
            }
            catch (EtcdException exception) when (exception.Code != 0)
            {
                // Answers, but refuses (auth enabled): it is up.
                return;
            }
            catch (EtcdException) when (deadline.Elapsed < TimeSpan.FromSeconds(20) && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (EtcdException exception)
            {
                throw new InvalidOperationException($"etcd on port {ClientPort} did not come up: {exception.Message}\n{ReadLog()}");
            }
        }
    }

    /// <summary>Kills this etcd process (only it) and waits until it has exited.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Creates the root user and turns authentication on.</summary>
    public async Task EnableAuthAsync()
    {
        using var http = new HttpClient { BaseAddress = Url };
        foreach (var (path, body) in new[]
        {
            ("/v3/auth/user/add", $"{{\"name\":\"root\",\"password\":\"{RootPassword}\"}}"),
            ("/v3/auth/role/add", "{\"name\":\"root\"}"),
            ("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}"),
            ("/v3/auth/enable", "{}"),
        })
        {
            using var response = await http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode && !text.Contains("already exists", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {text}");
            }
        }
    }

    public string ReadLog()
    {
        var log = Path.Combine(_directory, "etcd.log");
        lock (_directory)
        {
            return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : string.Empty;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Append(string log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_directory)
        {
            File.AppendAllText(log, line + "\n");
        }
    }

    /// <summary>A CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files.</summary>
    private void WriteCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=dephealth-test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(CaFile, ca.ExportCertificatePem());

        Issue(ca, "server", server: true);
        Issue(ca, "client", server: false);
    }

    private void Issue(X509Certificate2 ca, string name, bool server)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), serial);
        File.WriteAllText(Path.Combine(_directory, $"{name}.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, $"{name}-key.pem"), key.ExportPkcs8PrivateKeyPem());
    }
}
