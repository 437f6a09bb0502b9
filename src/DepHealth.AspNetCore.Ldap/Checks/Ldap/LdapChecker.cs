using System.DirectoryServices.Protocols;
using System.Net;

namespace DepHealth.AspNetCore.Checks.Ldap;

/// <summary>
/// One LDAP check on a fresh connection to the endpoint's own host and port: an anonymous or simple bind, then for
/// <c>root_dse</c> and <c>search</c> a search with size limit 1.
/// </summary>
/// <remarks>
/// System.DirectoryServices.Protocols binds (and on Linux connects and starts TLS) synchronously inside libldap, with
/// no timeout it lets a caller set: the check runs on the thread pool and returns as soon as the token is cancelled,
/// while such a native call goes on until the server answers or the connection drops. The scheduler never starts a
/// check of an endpoint while its previous one still runs, so a hung server costs one pool thread per endpoint.
/// Searches are sent asynchronously, time out with the check, and are abandoned when the token is cancelled; the
/// anonymous <c>root_dse</c> and <c>search</c> checks send no bind at all.
/// </remarks>
internal sealed class LdapChecker(LdapCheckerSettings settings, TimeSpan globalTimeout) : IDependencyChecker
{
    public async ValueTask<CheckResult> CheckAsync(EndpointSpec endpoint, CancellationToken cancellationToken)
    {
        var timeout = CheckTimeouts.Of(endpoint, globalTimeout);
        var work = Task.Run(() => RunAsync(endpoint, timeout, cancellationToken), CancellationToken.None);
        try
        {
            await work.WaitAsync(cancellationToken);
            return CheckResult.Healthy;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is LdapException or DirectoryOperationException)
        {
            return await LdapErrors.ClassifyAsync(e, endpoint, settings.UsesTls(endpoint), cancellationToken);
        }
        finally
        {
            if (!work.IsCompleted)
            {
                // Observe the outcome of the abandoned call.
                _ = work.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task RunAsync(EndpointSpec endpoint, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // libldap takes the server as part of a URI: IPv6 addresses need brackets.
        var server = endpoint.Host.Contains(':', StringComparison.Ordinal) ? $"[{endpoint.Host}]" : endpoint.Host;
        using var connection = new LdapConnection(new LdapDirectoryIdentifier(server, endpoint.Port), null, AuthType.Anonymous)
        {
            AutoBind = false,
            Timeout = timeout,
        };
        var options = connection.SessionOptions;
        options.ProtocolVersion = 3;
        options.ReferralChasing = ReferralChasingOptions.None;
        if (settings.UsesLdaps(endpoint))
        {
            options.SecureSocketLayer = true;
        }

        if (settings.SkipTlsVerify && OperatingSystem.IsWindows())
        {
            options.VerifyServerCertificate = static (_, _) => true;
        }

        if (settings.StartTls)
        {
            // Before any bind; on Linux it runs when the connection opens.
            options.StartTransportLayerSecurity(null);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (settings.Method == LdapCheckMethod.SimpleBind || (settings.Method != LdapCheckMethod.AnonymousBind && settings.BindDN is not null))
        {
            connection.AuthType = AuthType.Basic;
            connection.Bind(new NetworkCredential(settings.BindDN, settings.BindPassword));
        }
        else if (settings.Method == LdapCheckMethod.AnonymousBind)
        {
            connection.Bind();
        }

        // An anonymous search needs no bind (LDAPv3), which keeps it wholly asynchronous and abortable.

        if (settings.Method is LdapCheckMethod.RootDse or LdapCheckMethod.Search)
        {
            await SearchAsync(connection, timeout, cancellationToken);
        }
    }

    private async Task SearchAsync(LdapConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // "1.1" asks for no attributes: the check needs the answer, not the data.
        var request = new SearchRequest(settings.BaseDN, settings.Filter, settings.Scope, "1.1") { SizeLimit = 1 };
        var pending = connection.BeginSendRequest(request, timeout, PartialResultProcessing.NoPartialResultSupport, null, null);
        using var abort = cancellationToken.Register(() => Abort(connection, pending));
        try
        {
            await Task.Factory.FromAsync(pending, connection.EndSendRequest).WaitAsync(cancellationToken);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.SizeLimitExceeded)
        {
            // More than one entry matched: the search worked.
        }
    }

    private static void Abort(LdapConnection connection, IAsyncResult pending)
    {
        try
        {
            // Abandons the request on the server and frees it in the client.
            connection.Abort(pending);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or LdapException or ArgumentException)
        {
            // Already completed or disposed: nothing to abandon. Never throw from a cancellation callback.
        }
    }
}
