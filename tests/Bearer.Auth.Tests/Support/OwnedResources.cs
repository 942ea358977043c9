namespace Bearer.Auth.Tests.Support;

/// <summary>
/// What a test set up and must tear down (servers, service providers, resolvers), disposed in reverse order of
/// <see cref="Add{T}"/>, so what was built on something goes before it.
/// </summary>
internal sealed class OwnedResources : IAsyncDisposable
{
    private readonly List<object> _owned = [];

    /// <summary>Takes ownership of <paramref name="resource"/> (an <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/>).</summary>
    internal T Add<T>(T resource)
        where T : notnull
    {
        if (resource is not (IAsyncDisposable or IDisposable))
        {
            throw new ArgumentException($"{typeof(T).Name} is not disposable.", nameof(resource));
        }

        _owned.Add(resource);
        return resource;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            switch (_owned[i])
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }

        _owned.Clear();
    }
}
