using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace Bearer.Auth;

/// <summary>
/// Configures the named client <see cref="RemoteKeySetOptions.DefaultHttpClientName"/> so its handler does not follow
/// redirects: <see cref="RemoteKeySetFetcher"/> follows them itself, within the origin asked for only.
/// </summary>
internal static class RemoteKeyHttpClient
{
    /// <summary>
    /// Turns automatic redirects off on the client's primary handler. A post-configuration, so it still applies when
    /// the application configures the same client (its own primary handler included) after this registration.
    /// </summary>
    internal static void DisableAutomaticRedirects(IServiceCollection services) =>
        services.PostConfigure<HttpClientFactoryOptions>(RemoteKeySetOptions.DefaultHttpClientName, options =>
            options.HttpMessageHandlerBuilderActions.Add(static builder =>
            {
                switch (builder.PrimaryHandler)
                {
                    case SocketsHttpHandler sockets:
                        sockets.AllowAutoRedirect = false;
                        break;
                    case HttpClientHandler client:
                        client.AllowAutoRedirect = false;
                        break;
                }
            }));
}
