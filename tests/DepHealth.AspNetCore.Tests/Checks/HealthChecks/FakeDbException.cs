using System.Data.Common;

namespace DepHealth.AspNetCore.Tests.Checks.HealthChecks;

/// <summary>A driver exception with a SQLSTATE, as Npgsql's and MySqlConnector's are.</summary>
internal sealed class FakeDbException(string sqlState, string message) : DbException(message)
{
    public override string SqlState => sqlState;
}
