using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DepHealth.AspNetCore.EntityFrameworkCore;

/// <summary>
/// A context for one use, as the application gets one: from its <see cref="IDbContextFactory{TContext}"/> when one
/// is registered, else from a new scope. Disposing it returns the context (and its pooled connection) to the application.
/// </summary>
internal sealed class DbContextLease<TContext> : IAsyncDisposable, IDisposable
    where TContext : DbContext
{
    private readonly AsyncServiceScope _scope;
    private readonly bool _ownsContext;

    private DbContextLease(AsyncServiceScope scope, TContext context, bool ownsContext)
    {
        _scope = scope;
        Context = context;
        _ownsContext = ownsContext;
    }

    public TContext Context { get; }

    public static async Task<DbContextLease<TContext>> CreateAsync(IServiceProvider services, string dependency, CancellationToken cancellationToken)
    {
        var scope = services.CreateAsyncScope();
        try
        {
            if (scope.ServiceProvider.GetService<IDbContextFactory<TContext>>() is { } factory)
            {
                return new(scope, await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false), ownsContext: true);
            }

            return new(scope, Resolve(scope.ServiceProvider, dependency), ownsContext: false);
        }
        catch
        {
            await scope.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static DbContextLease<TContext> Create(IServiceProvider services, string dependency)
    {
        var scope = services.CreateAsyncScope();
        try
        {
            return scope.ServiceProvider.GetService<IDbContextFactory<TContext>>() is { } factory
                ? new(scope, factory.CreateDbContext(), ownsContext: true)
                : new(scope, Resolve(scope.ServiceProvider, dependency), ownsContext: false);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsContext)
        {
            await Context.DisposeAsync().ConfigureAwait(false);
        }

        await _scope.DisposeAsync().ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsContext)
        {
            Context.Dispose();
        }

        _scope.Dispose();
    }

    private static TContext Resolve(IServiceProvider services, string dependency) =>
        services.GetService<TContext>()
        ?? throw new InvalidOperationException(
            $"Dependency '{dependency}': {typeof(TContext).Name} is not registered; register it with AddDbContext<{typeof(TContext).Name}>, "
            + $"AddDbContextPool<{typeof(TContext).Name}> or AddDbContextFactory<{typeof(TContext).Name}> before the dependency is checked.");
}
