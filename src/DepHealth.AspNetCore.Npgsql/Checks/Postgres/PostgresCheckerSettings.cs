using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Checks.Sql;
using Npgsql;

namespace DepHealth.AspNetCore.Checks.Postgres;

/// <summary>
/// The standalone PostgreSQL connection settings from the <c>Url</c> (<c>postgres://</c>, <c>postgresql://</c>) or
/// <c>ConnectionString</c> option, plus <c>Username</c>, <c>Password</c>, <c>Database</c> and <c>TlsSkipVerify</c>.
/// Only credentials, database and parameters come from them: every endpoint connects to its own host and port.
/// </summary>
internal static class PostgresCheckerSettings
{
    /// <summary>Builds the connection settings without host and port; adds an error per invalid option.</summary>
    public static NpgsqlConnectionStringBuilder Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var url = endpoint.GetOption(CheckerOptionKeys.Url);
        var connectionString = endpoint.GetOption(CheckerOptionKeys.ConnectionString);
        if (url is not null)
        {
            ApplyUrl(builder, url, errors);
        }
        else if (connectionString is not null)
        {
            try
            {
                builder.ConnectionString = connectionString;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException)
            {
                // The driver's message may quote the value; never repeat it.
                errors.Add(new(CheckerOptionKeys.ConnectionString, "is not a valid Npgsql connection string"));
            }
        }

        // Explicit options win over the URL or connection string.
        if (endpoint.GetOption(CheckerOptionKeys.Username) is { } user)
        {
            builder.Username = user;
        }

        if (endpoint.GetOption(CheckerOptionKeys.Password) is { } password)
        {
            builder.Password = password;
        }

        if (endpoint.GetOption(CheckerOptionKeys.Database) is { } database)
        {
            builder.Database = database;
        }

        if (endpoint.GetOption(CheckerOptionKeys.TlsSkipVerify) is { } skipText)
        {
            if (!bool.TryParse(skipText, out var skip))
            {
                errors.Add(new(CheckerOptionKeys.TlsSkipVerify, "must be true or false"));
            }
            else if (skip && builder.SslMode is SslMode.VerifyCA or SslMode.VerifyFull)
            {
                // Require encrypts without validating the certificate.
                builder.SslMode = SslMode.Require;
            }
        }

        SqlCheck.ValidateQuery(endpoint, errors);

        // Each endpoint is one server checked on its own: no pool, no failover, no session-attribute filtering.
        builder.Host = null;
        builder.Port = 5432;
        builder.Pooling = false;
        builder.Multiplexing = false;
        builder.TargetSessionAttributes = null;
        builder.ApplicationName ??= "dephealth";
        return builder;
    }

    /// <summary>The connection string of one endpoint, with driver timeouts matching the check's.</summary>
    public static string ForEndpoint(NpgsqlConnectionStringBuilder settings, EndpointSpec endpoint, TimeSpan timeout)
    {
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Host = endpoint.Host,
            Port = endpoint.Port,
            Timeout = Math.Min(CheckTimeouts.WholeSeconds(timeout), 1024),
            CommandTimeout = CheckTimeouts.WholeSeconds(timeout),
        };
        return builder.ConnectionString;
    }

    private static void ApplyUrl(NpgsqlConnectionStringBuilder builder, string url, ICollection<EndpointValidationError> errors)
    {
        if (!ConnectionUrl.TryParse(url, out var parsed, out var error))
        {
            errors.Add(new(CheckerOptionKeys.Url, error!));
            return;
        }

        if (parsed.Scheme is not ("postgres" or "postgresql"))
        {
            errors.Add(new(CheckerOptionKeys.Url, "must use the postgres or postgresql scheme for type postgres"));
            return;
        }

        builder.Username = parsed.UserName;
        builder.Password = parsed.Password;
        if (parsed.Path.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(parsed.Path);
        }

        foreach (var (key, value) in parsed.Query)
        {
            switch (key.ToLowerInvariant())
            {
                case "sslmode":
                    var mode = value.ToLowerInvariant() switch
                    {
                        "disable" => SslMode.Disable,
                        "allow" => SslMode.Allow,
                        "prefer" => SslMode.Prefer,
                        "require" => SslMode.Require,
                        "verify-ca" => SslMode.VerifyCA,
                        "verify-full" => SslMode.VerifyFull,
                        _ => (SslMode?)null,
                    };
                    if (mode is null)
                    {
                        errors.Add(new(CheckerOptionKeys.Url, "sslmode must be disable, allow, prefer, require, verify-ca or verify-full"));
                    }
                    else
                    {
                        builder.SslMode = mode.Value;
                    }

                    break;
                case "sslrootcert":
                    builder.RootCertificate = value;
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                case "dbname":
                    builder.Database = value;
                    break;
                case "user":
                    builder.Username = value;
                    break;
                case "password":
                    builder.Password = value;
                    break;

                // Other libpq parameters (connect_timeout, target_session_attrs, ...) do not apply to a health check.
            }
        }
    }
}
