using Bearer.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using MvcSample.Models;

namespace MvcSample.Services;

/// <summary>
/// Answers an action whose store could not be reached (Redis down: <see cref="TokenStoreUnavailableException"/>, or
/// no signing key to be had: <see cref="SigningKeyUnavailableException"/>) with 503, <c>Retry-After</c> and a JSON
/// error (RFC 6749's <c>temporarily_unavailable</c>), never a 500: nothing was decided, so the client tries again.
/// </summary>
public sealed partial class StoreUnavailableFilter(ILogger<StoreUnavailableFilter> logger) : IExceptionFilter
{
    /// <summary>Seconds a client should wait: the Redis client reconnects within a few seconds of Redis returning.</summary>
    private const string RetryAfterSeconds = "5";

    /// <inheritdoc />
    public void OnException(ExceptionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Exception is not (TokenStoreUnavailableException or SigningKeyUnavailableException))
        {
            return;
        }

        LogUnavailable(logger, context.Exception.GetType().Name, context.HttpContext.Request.Path);
        context.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        context.Result = new ObjectResult(new ErrorResponse("temporarily_unavailable", "The session store is unreachable; try again shortly."))
        {
            StatusCode = StatusCodes.Status503ServiceUnavailable,
        };
        context.ExceptionHandled = true;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Exception} on {Path}: answered 503 with Retry-After")]
    private static partial void LogUnavailable(ILogger logger, string exception, string path);
}
