namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>The API keys the stand-in serves, with the versions it advertises and which use the flexible encoding.</summary>
internal static class KafkaApi
{
    public const short Metadata = 3;
    public const short SaslHandshake = 17;
    public const short ApiVersions = 18;
    public const short SaslAuthenticate = 36;

    /// <summary>Key, min and max version: older, non-flexible versions where the client can choose.</summary>
    public static readonly (short Key, short Min, short Max)[] Supported =
    [
        (Metadata, 1, 4),
        (SaslHandshake, 0, 1),
        (ApiVersions, 0, 3),
        (SaslAuthenticate, 0, 1),
    ];

    /// <summary>Whether a request of this key and version has header v2 (tagged fields after the client id).</summary>
    public static bool IsFlexibleRequest(short key, short version) => key switch
    {
        ApiVersions => version >= 3,
        _ => false,
    };

    /// <summary>Whether the response header carries tagged fields (v1); ApiVersions never does, so old clients can read it.</summary>
    public static bool IsFlexibleResponse(short key, short version) => key != ApiVersions && IsFlexibleRequest(key, version);
}
