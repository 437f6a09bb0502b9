namespace DepHealth.AspNetCore.OpenTelemetry.Tests.Infrastructure;

/// <summary>The contract's facts these tests hold both outputs to (the dephealth contract, section 1: names, HELP texts, label order, buckets).</summary>
public static class ContractFamilies
{
    public const string Health = "app_dependency_health";
    public const string Latency = "app_dependency_latency_seconds";
    public const string Status = "app_dependency_status";
    public const string Detail = "app_dependency_status_detail";

    /// <summary>The labels the OpenTelemetry Prometheus exporter adds to every series of an instrumentation scope.</summary>
    public static readonly string[] ScopeLabels = ["otel_scope_name", "otel_scope_version"];

    public static readonly string[] Buckets = ["0.001", "0.005", "0.01", "0.05", "0.1", "0.5", "1", "5", "+Inf"];

    public static readonly string[] Names = [Health, Latency, Status, Detail];

    public static TheoryData<string> All() => [.. Names];
}
