using Bearer.Auth;

namespace MvcSample.Browser;

/// <summary>
/// How the bearer scheme answers a browser's page request: not signed in, a redirect to the login form (coming back
/// to the page); signed in without the role, a 403 whose page the status-code pages render. API requests keep the
/// handler's RFC 6750 challenges (<see cref="BrowserRequests.IsPage"/>).
/// </summary>
public static class BrowserAuthenticationEvents
{
    /// <summary>Wires both events into <paramref name="events"/>.</summary>
    public static void Apply(BearerJwtEvents events)
    {
        ArgumentNullException.ThrowIfNull(events);
        events.OnChallenge = context =>
        {
            if (BrowserRequests.IsPage(context.Request))
            {
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Redirect(BrowserRequests.LoginUrl(BrowserRequests.PathAndQuery(context.Request)));
                context.HandleResponse();
            }

            return Task.CompletedTask;
        };
        events.OnForbidden = context =>
        {
            if (BrowserRequests.IsPage(context.Request))
            {
                // No body: UseStatusCodePagesWithReExecute renders the friendly 403 page at this URL.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.HandleResponse();
            }

            return Task.CompletedTask;
        };
    }
}
