namespace DepHealth.AspNetCore.Addressing;

/// <summary>One host and port taken from a URL or connection string.</summary>
internal readonly record struct HostPort(string Host, int Port);
