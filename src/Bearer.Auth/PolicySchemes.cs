using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Bearer.Auth;

/// <summary>
/// Whether another scheme will challenge (or forbid) on this response after this one. The authorization middleware and
/// MVC's authorize filter challenge each scheme of the endpoint's policy in turn, and a body starts the response: a
/// later scheme could then neither add its <c>WWW-Authenticate</c> nor set its status (a cookie scheme's redirect would
/// throw, a 500). So only the policy's last scheme writes a body; the others add their headers, as JwtBearer does.
/// </summary>
internal static class PolicySchemes
{
    /// <summary>
    /// Recomputes the endpoint's policy the way the middleware does (its cache is not public), only when the app has
    /// more than one scheme, and only on a refusal.
    /// </summary>
    internal static async ValueTask<bool> AnotherFollowsAsync(HttpContext context, string scheme)
    {
        var services = context.RequestServices;
        var schemes = services?.GetService<IAuthenticationSchemeProvider>();
        if (schemes is null
            || !(await schemes.GetAllSchemesAsync()).TryGetNonEnumeratedCount(out var count)
            || count < 2
            || context.GetEndpoint() is not { } endpoint
            || services!.GetService<IAuthorizationPolicyProvider>() is not { } policies)
        {
            return false;
        }

        var policy = await AuthorizationPolicy.CombineAsync(
            policies,
            endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(),
            endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        return policy is { AuthenticationSchemes: { Count: > 1 } named }
            && named.Contains(scheme)
            && !string.Equals(named[^1], scheme, StringComparison.Ordinal);
    }
}
