namespace DepHealth.AspNetCore.OpsTests.Infrastructure;

/// <summary>The test classes that share one pack of every package (and the consumer app built from it).</summary>
[CollectionDefinition(PackFixture.Collection)]
public sealed class PackedPackages : ICollectionFixture<PackFixture>;
