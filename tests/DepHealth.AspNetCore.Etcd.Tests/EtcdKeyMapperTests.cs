namespace DepHealth.AspNetCore.Etcd.Tests;

/// <summary>etcd keys under the prefix become configuration keys with '/' as ':'.</summary>
[Trait("Category", "unit")]
public sealed class EtcdKeyMapperTests
{
    [Theory]
    [InlineData("/app/DependencyHealth/Dependencies/pg/Url", "DependencyHealth:Dependencies:pg:Url")]
    [InlineData("/app/Name", "Name")]
    [InlineData("/app/a/", "a")]
    [InlineData("/app/", null)]
    [InlineData("/app/a//b", null)]
    [InlineData("/application/x", null)]
    [InlineData("/app/registry/orders/db.svc/5432", null)]
    [InlineData("/app/registry", null)]
    [InlineData("/app/registry-settings/x", "registry-settings:x")]
    public void Keys_map_by_turning_slashes_into_colons(string key, string? expected) =>
        Assert.Equal(expected, EtcdKeyMapper.ConfigurationKey(key, EtcdKeyMapper.NormalizePrefix("/app")));

    [Fact]
    public void Json_object_values_expand_and_deeper_keys_win()
    {
        var data = EtcdKeyMapper.Map(
            new Dictionary<string, string>
            {
                ["/p/D/pg"] = """{"Url":"postgres://db","Critical":true,"Port":5432,"Labels":{"role":"primary"},"Hosts":["a","b"],"Nothing":null}""",
                ["/p/D/pg/Critical"] = "false",
                ["/p/D/text"] = "{not json",
                ["/p/D/list"] = "[1,2]",
            },
            "/p/",
            expandJson: true);

        Assert.Equal("postgres://db", data["D:pg:Url"]);
        Assert.Equal("false", data["D:pg:Critical"]);
        Assert.Equal("5432", data["D:pg:Port"]);
        Assert.Equal("primary", data["D:pg:Labels:role"]);
        Assert.Equal("b", data["D:pg:Hosts:1"]);
        Assert.Null(data["D:pg:Nothing"]);
        Assert.Equal("{not json", data["D:text"]);
        Assert.Equal("[1,2]", data["D:list"]);
    }

    [Fact]
    public void Expansion_can_be_turned_off()
    {
        var data = EtcdKeyMapper.Map(new Dictionary<string, string> { ["/p/x"] = """{"a":1}""" }, "/p/", expandJson: false);
        Assert.Equal("""{"a":1}""", data["x"]);
    }

    [Fact]
    public void Prefix_is_required() => Assert.Throws<ArgumentException>(() => EtcdKeyMapper.NormalizePrefix(" "));
}
