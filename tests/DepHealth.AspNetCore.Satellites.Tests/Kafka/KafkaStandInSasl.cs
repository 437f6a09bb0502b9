using System.Security.Cryptography;
using System.Text;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>
/// One connection's SASL state: SaslHandshake picks the mechanism, SaslAuthenticate carries PLAIN's single message or
/// SCRAM's two rounds. A wrong password answers SASL_AUTHENTICATION_FAILED (58), as a broker does.
/// </summary>
internal sealed class KafkaStandInSasl(string mechanism, string username, string password)
{
    private const short UnsupportedSaslMechanism = 33;
    private const short SaslAuthenticationFailed = 58;
    private ScramServerSession? _scram;

    public bool Authenticated { get; private set; }

    public byte[] Handshake(KafkaReader request)
    {
        var requested = request.String();
        var error = string.Equals(requested, mechanism, StringComparison.Ordinal) ? (short)0 : UnsupportedSaslMechanism;
        return new KafkaWriter().Int16(error).Int32(1).String(mechanism).ToArray();
    }

    public byte[] Authenticate(KafkaReader request, short version)
    {
        var message = request.Bytes();
        byte[]? reply = mechanism == "PLAIN" ? Plain(message) : Scram(message);
        var body = reply is null
            ? new KafkaWriter().Int16(SaslAuthenticationFailed).String("Authentication failed: Invalid username or password").Bytes([])
            : new KafkaWriter().Int16(0).String(null).Bytes(reply);
        return version >= 1 ? body.Int64(0).ToArray() : body.ToArray(); // session_lifetime_ms: none
    }

    private byte[]? Plain(byte[] message)
    {
        // authzid NUL authcid NUL password
        var parts = Encoding.UTF8.GetString(message).Split('\0');
        Authenticated = parts.Length == 3 && parts[1] == username && parts[2] == password;
        return Authenticated ? [] : null;
    }

    private byte[]? Scram(byte[] message)
    {
        var first = _scram is null;
        _scram ??= new ScramServerSession(username, password, mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var reply = _scram.Reply(Encoding.UTF8.GetString(message));
        Authenticated = reply is not null && !first;
        return reply is null ? null : Encoding.UTF8.GetBytes(reply);
    }
}
