namespace DepHealth.AspNetCore.Satellites.Tests.Kafka;

/// <summary>The bodies of the stand-in's ApiVersions and Metadata responses, per the protocol spec.</summary>
internal static class KafkaStandInResponses
{
    public const int NodeId = 1;
    public const string ClusterId = "stand-in-cluster";

    public static byte[] ApiVersions(short version)
    {
        var body = new KafkaWriter().Int16(0); // error_code
        if (version >= 3)
        {
            body.CompactArray(KafkaApi.Supported.Length);
            foreach (var (key, min, max) in KafkaApi.Supported)
            {
                body.Int16(key).Int16(min).Int16(max).NoTags();
            }

            return body.Int32(0).NoTags().ToArray(); // throttle_time_ms, tagged fields
        }

        body.Int32(KafkaApi.Supported.Length);
        foreach (var (key, min, max) in KafkaApi.Supported)
        {
            body.Int16(key).Int16(min).Int16(max);
        }

        return version >= 1 ? body.Int32(0).ToArray() : body.ToArray();
    }

    /// <summary>Metadata v1 to v4: this broker alone (or no broker at all), no topics.</summary>
    public static byte[] Metadata(short version, int port, bool listBrokers)
    {
        var body = new KafkaWriter();
        if (version >= 3)
        {
            body.Int32(0); // throttle_time_ms
        }

        body.Int32(listBrokers ? 1 : 0);
        if (listBrokers)
        {
            body.Int32(NodeId).String("127.0.0.1").Int32(port).String(null); // node_id, host, port, rack
        }

        if (version >= 2)
        {
            body.String(ClusterId);
        }

        return body.Int32(listBrokers ? NodeId : -1).Int32(0).ToArray(); // controller_id, topics
    }
}
