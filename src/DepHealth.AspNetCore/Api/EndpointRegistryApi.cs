using System.Text.Json;
using DepHealth.AspNetCore.Registry;
using DepHealth.AspNetCore.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.Api;

/// <summary>The registry's HTTP API: list, add, update and remove endpoints, with problem+json errors naming the field.</summary>
internal static class EndpointRegistryApi
{
    /// <summary>Request bodies larger than this are rejected before parsing.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string pattern)
    {
        RegistryAuthorizationResultHandler.EnsureInstalled(endpoints.ServiceProvider);
        var group = endpoints.MapGroup(pattern);
        group.WithMetadata(RegistryApiEndpointMetadata.Instance);
        group.MapGet("/", List);
        group.MapGet("/{dependency}/{host}/{port}", Get);
        var limiter = endpoints.ServiceProvider.GetRequiredService<RegistryMutationLimiter>();
        group.MapPost("/", AddAsync).AddEndpointFilter(limiter);
        group.MapPut("/{dependency}/{host}/{port}", UpdateAsync).AddEndpointFilter(limiter);
        group.MapDelete("/{dependency}/{host}/{port}", RemoveAsync).AddEndpointFilter(limiter);
        return group;
    }

    private static JsonBytesResult List(HealthStateStore store) =>
        new JsonBytesResult(EndpointListing.Serialize(store.Sorted()));

    private static IResult Get(string dependency, string host, string port, EndpointRegistry registry)
    {
        if (!Addressing.EndpointAddressParser.TryParsePort(port, out var portNumber))
        {
            return Invalid([new("port", "must be an integer from 1 to 65535")]);
        }

        return registry.TryGet(new EndpointKey(dependency, host, portNumber), out var endpoint)
            ? new JsonBytesResult(EndpointResponseWriter.Serialize(endpoint))
            : NotFound(new EndpointKey(dependency, host, portNumber));
    }

    private static async Task<IResult> AddAsync(HttpContext context, EndpointRegistry registry)
    {
        var (spec, invalid) = await ReadSpecAsync(context);
        if (invalid is not null)
        {
            return invalid;
        }

        try
        {
            var added = await registry.AddAsync(spec!, Change(context), context.RequestAborted);
            var registered = Registered(registry, spec!);
            var body = EndpointResponseWriter.Serialize(registered);
            if (!added)
            {
                return new JsonBytesResult(body);
            }

            context.Response.Headers.Location = $"{context.Request.PathBase}{context.Request.Path.Value?.TrimEnd('/')}/{Uri.EscapeDataString(spec!.Dependency)}/{Uri.EscapeDataString(spec.Host)}/{spec.Port}";
            return new JsonBytesResult(body, StatusCodes.Status201Created);
        }
        catch (EndpointValidationException exception)
        {
            return Invalid(exception.Errors);
        }
        catch (EndpointConflictException exception)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Endpoint already registered",
                detail: exception.Message);
        }
        catch (RegistryStoreUnavailableException exception)
        {
            return StoreUnavailable(exception);
        }
    }

    private static async Task<IResult> UpdateAsync(string dependency, string host, string port, HttpContext context, EndpointRegistry registry)
    {
        if (!Addressing.EndpointAddressParser.TryParsePort(port, out var portNumber))
        {
            return Invalid([new("port", "the port in the path must be an integer from 1 to 65535")]);
        }

        var (spec, invalid) = await ReadSpecAsync(context);
        if (invalid is not null)
        {
            return invalid;
        }

        try
        {
            await registry.UpdateAsync(new EndpointKey(dependency, host, portNumber), spec!, Change(context), context.RequestAborted);
            return new JsonBytesResult(EndpointResponseWriter.Serialize(Registered(registry, spec!)));
        }
        catch (EndpointNotFoundException)
        {
            return NotFound(new EndpointKey(dependency, host, portNumber));
        }
        catch (EndpointValidationException exception)
        {
            return Invalid(exception.Errors);
        }
        catch (EndpointConflictException exception)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Endpoint already registered", detail: exception.Message);
        }
        catch (RegistryStoreUnavailableException exception)
        {
            return StoreUnavailable(exception);
        }
    }

    private static async Task<IResult> RemoveAsync(string dependency, string host, string port, HttpContext context, EndpointRegistry registry)
    {
        if (!Addressing.EndpointAddressParser.TryParsePort(port, out var portNumber))
        {
            return Invalid([new("port", "the port in the path must be an integer from 1 to 65535")]);
        }

        try
        {
            await registry.RemoveAsync(new EndpointKey(dependency, host, portNumber), Change(context), context.RequestAborted);
            return Results.NoContent();
        }
        catch (RegistryStoreUnavailableException exception)
        {
            return StoreUnavailable(exception);
        }
    }

    /// <summary>The endpoint as registered; as given when another replica's change replaced it in the meantime.</summary>
    private static RegisteredEndpoint Registered(EndpointRegistry registry, EndpointSpec spec) =>
        registry.TryGet(spec.Key, out var registered) ? registered : new RegisteredEndpoint(spec, registry.Effective(spec), EndpointSource.Runtime);

    private static async Task<(EndpointSpec? Spec, IResult? Invalid)> ReadSpecAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return (null, Invalid([new("body", "Content-Type must be application/json")]));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, Invalid([new("body", $"must be at most {MaxBodyBytes} bytes")]));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, Invalid([new("body", $"must be at most {MaxBodyBytes} bytes")]));
            }

            buffer.Write(chunk, 0, read);
        }

        if (!System.Text.Unicode.Utf8.IsValid(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)))
        {
            return (null, Invalid([new("body", "must be UTF-8 text")]));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException exception)
        {
            return (null, Invalid([new("body", $"is not valid JSON (line {exception.LineNumber + 1}, position {exception.BytePositionInLine + 1})")]));
        }

        using (document)
        {
            var errors = new List<EndpointValidationError>();
            var spec = EndpointRequestReader.Read(document.RootElement, errors);
            return errors.Count > 0 ? (null, Invalid(errors)) : (spec, null);
        }
    }

    private static RegistryChange Change(HttpContext context)
    {
        var user = context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
        return new RegistryChange(EndpointSource.Runtime, $"{user}@{context.Connection.RemoteIpAddress}");
    }

    private static IResult Invalid(IReadOnlyList<EndpointValidationError> errors)
    {
        var byField = errors
            .GroupBy(e => EndpointRequestReader.ApiField(e.Field), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
        return Results.ValidationProblem(
            byField,
            detail: string.Join("; ", byField.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}")),
            title: "Invalid endpoint");
    }

    /// <summary>503: the change was not made, so the caller knows to retry rather than believe it was accepted.</summary>
    private static IResult StoreUnavailable(RegistryStoreUnavailableException exception) =>
        Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Registry store unavailable", detail: exception.Message);

    private static IResult NotFound(EndpointKey key) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Endpoint not found", detail: $"Endpoint '{key}' is not registered.");
}
