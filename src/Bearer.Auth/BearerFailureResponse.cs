using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Bearer.Auth;

/// <summary>
/// Writes the scheme's refusals once the events had their say: status, <c>Cache-Control: no-store</c>, the RFC 6750
/// challenge (400, 401, 403) or <c>Retry-After</c> (503), and the RFC 9457 problem body. The body says what the
/// challenge says, plus, for a request without a token (whose challenge RFC 6750 §3.1 keeps bare), that no token came.
/// </summary>
internal static class BearerFailureResponse
{
    private const string InsufficientScope = "insufficient_scope";
    private const string InsufficientScopeDescription = "The token does not grant a scope this resource requires.";
    private const string ForbiddenDescription = "The token does not grant access to this resource.";

    internal static Task ChallengeAsync(BearerJwtChallengeContext challenge, bool tokenPresented, bool writeBody)
    {
        var options = challenge.Options;
        var response = challenge.Response;
        var reason = challenge.Reason == TokenFailureReason.None && !tokenPresented ? TokenFailureReason.TokenMissing : challenge.Reason;
        var reasonCode = options.IncludeErrorDetails && reason != TokenFailureReason.None ? reason.ToCode() : null;

        response.StatusCode = challenge.StatusCode;
        SetNoStore(response);
        if (challenge.StatusCode is StatusCodes.Status400BadRequest or StatusCodes.Status401Unauthorized)
        {
            var challengeReason = reason == TokenFailureReason.TokenMissing ? null : reasonCode;
            response.Headers.Append(HeaderNames.WWWAuthenticate,
                BearerChallengeWriter.Format(options.Realm, challenge.Error, challenge.ErrorDescription, challengeReason));
        }
        else if (challenge.StatusCode == StatusCodes.Status503ServiceUnavailable && !response.Headers.ContainsKey(HeaderNames.RetryAfter))
        {
            response.Headers.RetryAfter = reason == TokenFailureReason.RevocationUnavailable
                ? RevocationRetryAfterSeconds
                : RetryAfterSeconds(options.RemoteKeys.RetryDelay);
        }

        if (!writeBody)
        {
            return Task.CompletedTask;
        }

        var detail = reason != TokenFailureReason.TokenMissing ? challenge.ErrorDescription
            : options.IncludeErrorDetails ? reason.ToDescription() : null;
        return BearerProblemDetailsWriter.WriteAsync(challenge.HttpContext, new(challenge.StatusCode, detail, challenge.Error, reasonCode, null));
    }

    internal static Task ForbidAsync(ForbiddenContext forbidden, bool writeBody)
    {
        var options = forbidden.Options;
        var response = forbidden.Response;
        response.StatusCode = StatusCodes.Status403Forbidden;
        SetNoStore(response);
        response.Headers.Append(HeaderNames.WWWAuthenticate,
            BearerChallengeWriter.Format(options.Realm, InsufficientScope, null, null, forbidden.Scope));
        if (!writeBody)
        {
            return Task.CompletedTask;
        }

        var detail = !options.IncludeErrorDetails ? null : forbidden.Scope is null ? ForbiddenDescription : InsufficientScopeDescription;
        return BearerProblemDetailsWriter.WriteAsync(forbidden.HttpContext, new(StatusCodes.Status403Forbidden, detail, InsufficientScope, null, forbidden.Scope));
    }

    /// <summary>
    /// How long a client should wait when the revocation view cannot be trusted: a shared store reconnects and resyncs
    /// within seconds of coming back, so a short wait, not the key sources' retry delay.
    /// </summary>
    private const string RevocationRetryAfterSeconds = "5";

    private static void SetNoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>
    /// How long a client should wait before sending the same token again when no key set is usable: the delay before
    /// the key sources retry a failed fetch (<c>RemoteKeys:RetryDelay</c>), in whole seconds, at least 1.
    /// </summary>
    private static string RetryAfterSeconds(TimeSpan retryDelay) =>
        Math.Max(1L, (long)Math.Ceiling(retryDelay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
