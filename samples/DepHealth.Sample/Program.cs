using DepHealth.Sample;

var builder = WebApplication.CreateBuilder(args);

// Everything monitored comes from the DependencyHealth section: appsettings.{Environment}.json,
// DependencyHealth__... environment variables, the command line, and — applied live, without a restart —
// an optional JSON file named by DependenciesFile and the keys under an etcd prefix.
if (builder.Configuration["DependenciesFile"] is { Length: > 0 } dependenciesFile)
{
    builder.Configuration.AddDependencyHealthJsonFile(dependenciesFile, optional: true, reloadOnChange: true);
}

// etcd shared by every replica: Etcd:Endpoints (comma-separated URLs) and Etcd:Prefix; optionally Etcd:Username,
// Etcd:Password, Etcd:CaFile, Etcd:ClientCertificateFile, Etcd:ClientKeyFile, Etcd:CacheFile.
if (builder.Configuration["Etcd:Endpoints"] is { Length: > 0 } && builder.Configuration["Etcd:Prefix"] is { Length: > 0 })
{
    builder.Configuration.AddEtcd(builder.Configuration.GetSection("Etcd"));
    builder.Services.AddEtcdConfigurationLogging();
}

// Development (Sample:MonitorSelf): the sample also monitors itself, over HTTP and TCP, wherever it listens. The
// address is known once the server has started, so the self endpoints are added then, and readiness waits for them.
if (builder.Configuration.GetValue<bool>("Sample:MonitorSelf"))
{
    var selfEndpoints = new SelfEndpointsConfiguration();
    builder.Configuration.Sources.Add(selfEndpoints);
    builder.Services.AddSingleton(selfEndpoints);
    builder.Services.AddSingleton<SelfEndpointsReadiness>();
    builder.Services.AddHostedService<SelfEndpoints>();
    builder.Services.AddHealthChecks()
        .AddCheck<SelfEndpointsReadiness>("sample-self-endpoints", tags: [DependencyHealthServiceCollectionExtensions.ReadyTag]);
}

// The satellite packages' checkers make postgres, mysql, amqp and ldap dependencies work from configuration alone.
// Endpoints added through /admin/endpoints are kept where DependencyHealth:Registry:Store says: memory (default),
// sqlite (DependencyHealth:Registry:SqlitePath, survives restarts) or etcd (the Etcd:* connection, shared by every
// replica under <Etcd:Prefix>/registry/).
builder.Services.AddDependencyHealth(builder.Configuration)
    .AddNpgsqlChecks()
    .AddMySqlChecks()
    .AddRabbitMQChecks()
    .AddLdapChecks()
    .AddSqliteRegistryStore()
    .AddEtcdRegistryStore(builder.Configuration.GetSection("Etcd"));

// Kubernetes gRPC probes: grpc.health.v1 services "readiness" and "liveness", answered like /health/ready and
// /health/live. A kubelet's gRPC probe speaks HTTP/2 with prior knowledge, which Kestrel serves only on an HTTP/2-only
// cleartext endpoint: samples/kubernetes/deployment.yaml adds one (Kestrel:Endpoints:grpc, Protocols Http2, port 8081).
builder.Services.AddDependencyHealthGrpcProbes();

// The registry API is an admin surface: an API key (X-Api-Key, compared with Admin:ApiKey) authenticates,
// and a policy authorizes. With no Admin:ApiKey configured nobody gets in. A client with 10 failed keys in a minute
// gets 429 from the package until the minute ends (DependencyHealth:Registry:FailedAuthenticationLimit/Window).
builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
    .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
    {
        options.ApiKey = builder.Configuration["Admin:ApiKey"];
        options.ReadOnlyApiKey = builder.Configuration["Admin:ReadOnlyApiKey"];
    });
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(ApiKeyAuthenticationHandler.AdminPolicy, policy => policy.RequireRole(ApiKeyAuthenticationHandler.AdminRole));

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapDependencyHealthProbes();   // GET /health/live, /health/ready, /health/startup
app.MapDependencyHealthMetrics();
app.MapDependencyHealthDetails();
app.MapDependencyHealthDashboard(); // GET /health/ui; like /health/details it is open here: add RequireAuthorization(...) to protect both
app.MapEndpointRegistryApi().RequireAuthorization(ApiKeyAuthenticationHandler.AdminPolicy);
app.MapGrpcHealthChecksService();   // grpc.health.v1.Health: services "readiness" and "liveness" (HTTP/2 endpoints only)
app.MapGet("/", () => Results.Text(
    "DepHealth sample: /health/ui /health/live /health/ready /health/startup /health/details /metrics /admin/endpoints (X-Api-Key); gRPC grpc.health.v1 readiness, liveness\n"));

app.Run();

/// <summary>The sample's entry point, visible to WebApplicationFactory.</summary>
public partial class Program;
