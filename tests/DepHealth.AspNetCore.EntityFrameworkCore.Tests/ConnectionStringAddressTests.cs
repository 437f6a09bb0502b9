namespace DepHealth.AspNetCore.EntityFrameworkCore.Tests;

/// <summary>Host and port of a context's connection string, read as the contract reads .NET connection strings.</summary>
[Trait("Category", "unit")]
public sealed class ConnectionStringAddressTests
{
    [Theory]
    [InlineData("Host=pg.svc;Port=5433;Username=u;Password=p", "pg.svc", 5433)]
    [InlineData("Server=db.svc;Database=d", "db.svc", null)]
    [InlineData("Data Source=sql.svc,1434;User ID=u", "sql.svc", 1434)]
    [InlineData("Host=pg-a:5441,pg-b:5442", "pg-a", 5441)]
    [InlineData("Host=pg-a,pg-b;Port=5433", "pg-a", 5433)]
    [InlineData("Address=[::1]:3307", "::1", 3307)]
    [InlineData("Host=fe80::1;Port=5432", "fe80::1", 5432)]
    public void Parse_ReadsTheFirstHostAndItsPort(string connectionString, string host, int? port)
    {
        Assert.Equal((host, port), ConnectionStringAddress.Parse(connectionString));
    }

    [Fact]
    public void Parse_WithoutAHostKey_IsNull()
    {
        Assert.Null(ConnectionStringAddress.Parse("Username=u;Password=p"));
    }

    [Fact]
    public void Parse_OfAMalformedString_NamesNoPartOfIt()
    {
        var error = Assert.Throws<FormatException>(() => ConnectionStringAddress.Parse("Host=h;Password='secret-4711"));

        Assert.DoesNotContain("secret-4711", error.Message, StringComparison.Ordinal);
    }
}
