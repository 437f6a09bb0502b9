using System.Security.Cryptography;
using System.Text;

namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>
/// The server side of one SCRAM exchange (RFC 5802, as Kafka runs it for SCRAM-SHA-256/512): client-first →
/// server-first (nonce, salt, iterations), client-final → server-final (server signature) when the proof is right.
/// </summary>
internal sealed class ScramServerSession(string username, string password, HashAlgorithmName hash)
{
    private const int Iterations = 4096;
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;

    /// <summary>The reply to a client message, or null when authentication failed.</summary>
    public string? Reply(string message) => _serverFirst is null ? First(message) : Final(message);

    private string? First(string message)
    {
        // "n,,n=user,r=nonce": the GS2 header (no channel binding), then the bare message.
        var parts = message.Split(',', 3);
        if (parts.Length < 3 || parts[0] != "n")
        {
            return null;
        }

        _clientFirstBare = parts[2];
        var attributes = Attributes(_clientFirstBare);
        var user = attributes.GetValueOrDefault('n')?.Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        if (user != username || attributes.GetValueOrDefault('r') is not { } clientNonce)
        {
            return null;
        }

        _nonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        return _serverFirst = $"r={_nonce},s={Convert.ToBase64String(_salt)},i={Iterations}";
    }

    private string? Final(string message)
    {
        var proofAt = message.LastIndexOf(",p=", StringComparison.Ordinal);
        var attributes = Attributes(message);
        if (proofAt < 0 || attributes.GetValueOrDefault('r') != _nonce)
        {
            return null;
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), _salt, Iterations, hash, HashLength);
        var clientKey = Hmac(salted, "Client Key");
        var authMessage = $"{_clientFirstBare},{_serverFirst},{message[..proofAt]}";
        var clientSignature = Hmac(Digest(clientKey), authMessage);
        var expected = clientKey.Zip(clientSignature, (k, s) => (byte)(k ^ s)).ToArray();
        var proof = Convert.FromBase64String(attributes['p']);
        return CryptographicOperations.FixedTimeEquals(expected, proof)
            ? $"v={Convert.ToBase64String(Hmac(Hmac(salted, "Server Key"), authMessage))}"
            : null;
    }

    private int HashLength => hash == HashAlgorithmName.SHA512 ? 64 : 32;

    private byte[] Hmac(byte[] key, string text) => hash == HashAlgorithmName.SHA512
        ? HMACSHA512.HashData(key, Encoding.UTF8.GetBytes(text))
        : HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text));

    private byte[] Digest(byte[] data) => hash == HashAlgorithmName.SHA512 ? SHA512.HashData(data) : SHA256.HashData(data);

    private static Dictionary<char, string> Attributes(string message) =>
        message.Split(',').Where(a => a.Length >= 2 && a[1] == '=').ToDictionary(a => a[0], a => a[2..]);
}
