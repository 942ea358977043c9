using Microsoft.AspNetCore.Http;

namespace Bearer.Auth;

/// <summary>
/// What the challenge answers for each refusal: the status code and the RFC 6750 <c>error</c>. One switch, so a new
/// <see cref="TokenFailureReason"/> gets its answer here, and until it does it is a 401 <c>invalid_token</c>.
/// </summary>
internal static class FailureStatus
{
    internal static (int StatusCode, string? Error) For(TokenFailureReason reason) => reason switch
    {
        // RFC 6750 §3.1: a request without credentials gets a challenge with no error code.
        TokenFailureReason.None or TokenFailureReason.TokenMissing => (StatusCodes.Status401Unauthorized, null),

        // RFC 6750 §3.1: invalid_request is a 400.
        _ when reason.IsRequestError() => (StatusCodes.Status400BadRequest, "invalid_request"),

        // The token is not known to be bad: there was no key set to check it with. A 401 would make the client throw
        // a good token away (and send every client back to the provider at once); a 503 says "retry later".
        TokenFailureReason.KeySourceUnavailable => (StatusCodes.Status503ServiceUnavailable, null),

        // Likewise: the token may well be good, only its revocation state is unknown for now.
        TokenFailureReason.RevocationUnavailable => (StatusCodes.Status503ServiceUnavailable, null),

        _ => (StatusCodes.Status401Unauthorized, "invalid_token"),
    };
}
