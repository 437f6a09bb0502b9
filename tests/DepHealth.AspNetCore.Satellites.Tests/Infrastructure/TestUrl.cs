namespace DepHealth.AspNetCore.Satellites.Tests.Infrastructure;

/// <summary>The parts of a single-host test URL, and copies of it with one part changed.</summary>
internal sealed class TestUrl(string url)
{
    private readonly Uri _uri = new(url);

    public string Host => _uri.Host;

    public int Port => _uri.Port;

    public string UserName => Uri.UnescapeDataString(_uri.UserInfo.Split(':')[0]);

    public string Password => Uri.UnescapeDataString(_uri.UserInfo.Split(':', 2)[1]);

    /// <summary>The path without its leading '/', still escaped.</summary>
    public string Path => _uri.AbsolutePath.TrimStart('/');

    public string WithPassword(string password) =>
        new UriBuilder(_uri) { Password = Uri.EscapeDataString(password) }.Uri.AbsoluteUri;

    public string WithHostPort(string host, int port) =>
        new UriBuilder(_uri) { Host = host, Port = port }.Uri.AbsoluteUri;

    public string WithPath(string path) =>
        new UriBuilder(_uri) { Path = "/" + path }.Uri.AbsoluteUri;
}
