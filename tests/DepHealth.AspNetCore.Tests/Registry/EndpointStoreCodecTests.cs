using DepHealth.AspNetCore.Registry;

namespace DepHealth.AspNetCore.Tests.Registry;

/// <summary>What a registry store persists: stores already hold this form, so it is pinned byte for byte.</summary>
[Trait("Category", "unit")]
public sealed class EndpointStoreCodecTests
{
    private static EndpointSpec Full() => new()
    {
        Dependency = "orders-db",
        Type = "postgres",
        Host = "db.svc",
        Port = 5432,
        Critical = true,
        Labels = new Dictionary<string, string> { ["zone"] = "eu", ["role"] = "primary" },
        CheckInterval = TimeSpan.FromSeconds(30),
        Timeout = TimeSpan.FromSeconds(2),
        InitialDelay = TimeSpan.Zero,
        FailureThreshold = 3,
        SuccessThreshold = 2,
        Options = new Dictionary<string, string> { ["Password"] = "p@ss", ["Database"] = "orders", ["Headers:X-Trace"] = "on" },
    };

    [Fact]
    public void The_stored_form_holds_only_the_settings_that_were_set_and_options_as_given()
    {
        var spec = Full() with { Timeout = null, InitialDelay = null, SuccessThreshold = null };

        var json = EndpointStoreCodec.Encode(spec);

        Assert.Equal(
            """{"dependency":"orders-db","type":"postgres","host":"db.svc","port":5432,"critical":true,"labels":{"role":"primary","zone":"eu"},"checkInterval":"00:00:30","failureThreshold":3,"options":{"Database":"orders","Headers:X-Trace":"on","Password":"p@ss"}}""",
            json);
    }

    [Fact]
    public void A_stored_spec_reads_back_equal()
    {
        var errors = new List<EndpointValidationError>();

        var read = EndpointStoreCodec.Decode(EndpointStoreCodec.Encode(Full()), errors);

        Assert.Empty(errors);
        Assert.Equal(Full(), read);
    }

    [Fact]
    public void A_spec_with_a_checker_factory_cannot_be_stored()
    {
        var spec = Full() with { CheckerFactory = _ => throw new InvalidOperationException() };

        var error = Assert.Throws<EndpointValidationException>(() => EndpointStoreCodec.Encode(spec));

        Assert.Equal("CheckerFactory", Assert.Single(error.Errors).Field);
    }

    [Fact]
    public void A_stored_value_that_is_not_json_is_an_error_naming_the_position()
    {
        var errors = new List<EndpointValidationError>();

        var read = EndpointStoreCodec.Decode("{\"dependency\":", errors);

        Assert.Null(read);
        var error = Assert.Single(errors);
        Assert.Equal("body", error.Field);
        Assert.StartsWith("is not valid JSON (line 1, position", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_value_with_an_unknown_field_is_an_error_naming_the_field()
    {
        var errors = new List<EndpointValidationError>();
        var json = EndpointStoreCodec.Encode(Full()).Replace("\"critical\"", "\"critcal\"", StringComparison.Ordinal);

        var read = EndpointStoreCodec.Decode(json, errors);

        Assert.Null(read);
        Assert.Contains(errors, e => e.Field == "critcal");
    }
}
