using DepHealth.AspNetCore.Addressing;
using DepHealth.AspNetCore.Checks.Sql;
using MySqlConnector;

namespace DepHealth.AspNetCore.Checks.MySql;

/// <summary>
/// The standalone MySQL connection settings from the <c>Url</c> (<c>mysql://</c>) or <c>ConnectionString</c> option,
/// plus <c>Username</c>, <c>Password</c>, <c>Database</c> and <c>TlsSkipVerify</c>. Only credentials, database and
/// parameters come from them: every endpoint connects to its own host and port.
/// </summary>
internal static class MySqlCheckerSettings
{
    /// <summary>Builds the connection settings without host and port; adds an error per invalid option.</summary>
    public static MySqlConnectionStringBuilder Parse(EndpointSpec endpoint, ICollection<EndpointValidationError> errors)
    {
        var builder = new MySqlConnectionStringBuilder();
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
                errors.Add(new(CheckerOptionKeys.ConnectionString, "is not a valid MySQL connection string"));
            }
        }

        // Explicit options win over the URL or connection string.
        if (endpoint.GetOption(CheckerOptionKeys.Username) is { } user)
        {
            builder.UserID = user;
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
            else if (skip && builder.SslMode is MySqlSslMode.VerifyCA or MySqlSslMode.VerifyFull)
            {
                // Required encrypts without validating the certificate.
                builder.SslMode = MySqlSslMode.Required;
            }
        }

        SqlCheck.ValidateQuery(endpoint, errors);

        // A fresh TCP connection per check that never blocks a thread: no pool, no synchronous I/O, and no second
        // connection for KILL QUERY when an abandoned query reaches its timeout (the socket is closed instead).
        builder.Pooling = false;
        builder.ForceSynchronous = false;
        builder.ConnectionProtocol = MySqlConnectionProtocol.Sockets;
        builder.CancellationTimeout = -1;
        return builder;
    }

    /// <summary>The connection string of one endpoint, with driver timeouts matching the check's.</summary>
    public static string ForEndpoint(MySqlConnectionStringBuilder settings, EndpointSpec endpoint, TimeSpan timeout)
    {
        var builder = new MySqlConnectionStringBuilder(settings.ConnectionString)
        {
            Server = endpoint.Host,
            Port = (uint)endpoint.Port,
            ConnectionTimeout = (uint)CheckTimeouts.WholeSeconds(timeout),
            DefaultCommandTimeout = (uint)CheckTimeouts.WholeSeconds(timeout),
        };
        return builder.ConnectionString;
    }

    private static void ApplyUrl(MySqlConnectionStringBuilder builder, string url, ICollection<EndpointValidationError> errors)
    {
        if (!ConnectionUrl.TryParse(url, out var parsed, out var error))
        {
            errors.Add(new(CheckerOptionKeys.Url, error!));
            return;
        }

        if (parsed.Scheme != "mysql")
        {
            errors.Add(new(CheckerOptionKeys.Url, "must use the mysql scheme for type mysql"));
            return;
        }

        if (parsed.UserName is not null)
        {
            builder.UserID = parsed.UserName;
        }

        if (parsed.Password is not null)
        {
            builder.Password = parsed.Password;
        }

        if (parsed.Path.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(parsed.Path);
        }

        foreach (var (key, value) in parsed.Query)
        {
            switch (key.ToLowerInvariant())
            {
                // MySQL's own spelling (ssl-mode=REQUIRED) and the connection-string one (sslmode=Required).
                case "ssl-mode" or "sslmode":
                    var mode = value.ToUpperInvariant().Replace('_', '-') switch
                    {
                        "DISABLED" or "NONE" => MySqlSslMode.None,
                        "PREFERRED" => MySqlSslMode.Preferred,
                        "REQUIRED" => MySqlSslMode.Required,
                        "VERIFY-CA" or "VERIFYCA" => MySqlSslMode.VerifyCA,
                        "VERIFY-IDENTITY" or "VERIFY-FULL" or "VERIFYFULL" => MySqlSslMode.VerifyFull,
                        _ => (MySqlSslMode?)null,
                    };
                    if (mode is null)
                    {
                        errors.Add(new(CheckerOptionKeys.Url, "ssl-mode must be DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY"));
                    }
                    else
                    {
                        builder.SslMode = mode.Value;
                    }

                    break;

                // Other parameters do not apply to a health check.
            }
        }
    }
}
