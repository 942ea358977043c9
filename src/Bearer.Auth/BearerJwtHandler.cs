using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Bearer.Auth;

/// <summary>
/// Authenticates requests carrying a JWS bearer token. It only orchestrates: read the token (and the request facts
/// validation may need), validate it, map the claims, raise the events; every decision lives in
/// <see cref="BearerJwtValidator"/> and the options' seams.
/// </summary>
internal sealed class BearerJwtHandler : AuthenticationHandler<BearerJwtOptions>
{
    public BearerJwtHandler(IOptionsMonitor<BearerJwtOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : base(options, logger, encoder)
    {
    }

    private new BearerJwtEvents Events => (BearerJwtEvents)base.Events!;

    protected override Task<object> CreateEventsAsync() => Task.FromResult<object>(new BearerJwtEvents());

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var source = TokenSource.MessageReceivedEvent;
        if (Events.RaisesMessageReceived)
        {
            var messageReceived = new MessageReceivedContext(Context, Scheme, Options);
            await Events.MessageReceived(messageReceived);
            if (messageReceived.Result is not null)
            {
                return Counted(messageReceived.Result);
            }

            token = messageReceived.Token;
        }

        if (token is null)
        {
            var readFailure = BearerTokenReader.Read(Request, Options, out token, out source);
            if (readFailure == TokenFailureReason.TokenMissing)
            {
                return Counted(AuthenticateResult.NoResult());
            }

            if (readFailure != TokenFailureReason.None)
            {
                return await FailAsync(readFailure);
            }
        }

        var context = new TokenValidationContext(Request, source);
        var validation = await Options.Validator!.ValidateAsync(token!, context, Context.RequestAborted);
        if (!validation.Succeeded)
        {
            if (Logger.IsEnabled(LogLevel.Debug))
            {
                RejectedTokenDetails.Log(Logger, token!, validation.Failure, Options);
            }

            return await FailAsync(validation.Failure);
        }

        var validatedToken = validation.Token!;
        var identity = Options.ClaimsMapper!.CreateIdentity(validatedToken, Scheme.Name);
        if (!Events.RaisesTokenValidated)
        {
            var properties = Options.SaveToken ? SaveToken(new AuthenticationProperties(), token!) : null;
            return Succeed(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, Scheme.Name)), validatedToken);
        }

        var tokenValidated = new TokenValidatedContext(Context, Scheme, Options, validatedToken, context)
        {
            Principal = new ClaimsPrincipal(identity),
        };
        await Events.TokenValidated(tokenValidated);
        if (tokenValidated.Result is { Failure: { } failure })
        {
            // An application refusal (Reject, or the base class's Fail): keep the closed set of reasons, and log and
            // raise OnAuthenticationFailed like any other refusal.
            Log.TokenRejectedByApplication(Logger, failure);
            return await FailAsync(failure is BearerJwtException { Reason: not TokenFailureReason.None } bearer ? bearer.Reason : TokenFailureReason.TokenRejected);
        }

        if (tokenValidated.Result is not null)
        {
            return tokenValidated.Result.Succeeded ? Succeed(tokenValidated.Result, validatedToken) : Counted(tokenValidated.Result);
        }

        // As JwtBearer: saved once the event has run and left the ending to the handler.
        if (Options.SaveToken)
        {
            SaveToken(tokenValidated.Properties, token!);
        }

        tokenValidated.Success();
        return Succeed(tokenValidated.Result!, validatedToken);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var authResult = await HandleAuthenticateOnceSafeAsync();
        var reason = authResult.Failure switch
        {
            null => TokenFailureReason.None,
            BearerJwtException bearer => bearer.Reason,
            _ => TokenFailureReason.TokenRejected,
        };

        var (statusCode, error) = FailureStatus.For(reason);
        var challenge = new BearerJwtChallengeContext(Context, Scheme, Options, properties, reason)
        {
            StatusCode = statusCode,
            Error = error,
            ErrorDescription = reason != TokenFailureReason.None && Options.IncludeErrorDetails ? reason.ToDescription() : null,
        };

        await Events.Challenge(challenge);
        if (challenge.Handled || ResponseHasStarted())
        {
            return;
        }

        // "No token" only when the request really has none, not when an event set the outcome aside.
        var tokenPresented = reason != TokenFailureReason.None || authResult.Succeeded
            || BearerTokenReader.Read(Request, Options, out _, out _) != TokenFailureReason.TokenMissing;
        await BearerFailureResponse.ChallengeAsync(challenge, tokenPresented, await WritesBodyAsync());
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var forbidden = new ForbiddenContext(Context, Scheme, Options, properties) { Scope = FailedScopeRequirements.ScopeOf(Context) };
        await Events.Forbidden(forbidden);
        if (forbidden.Handled || ResponseHasStarted())
        {
            return;
        }

        Log.Forbidden(Logger);
        await BearerFailureResponse.ForbidAsync(forbidden, await WritesBodyAsync());
    }

    /// <summary>Keeps the token for <c>HttpContext.GetTokenAsync("access_token")</c> (<see cref="BearerJwtOptions.SaveToken"/>).</summary>
    private static AuthenticationProperties SaveToken(AuthenticationProperties properties, string token)
    {
        properties.StoreTokens([new AuthenticationToken { Name = "access_token", Value = token }]);
        return properties;
    }

    private AuthenticateResult Succeed(AuthenticateResult result, ValidatedToken token)
    {
        Log.TokenValidated(Logger, token.Header.Algorithm);
        Options.Telemetry!.RecordAuthentication(Scheme.Name, TokenFailureReason.None);
        return result;
    }

    /// <summary>
    /// Counts an authentication an event ended itself (<c>Success</c>, <c>Fail</c>, <c>NoResult</c>) by its result, so
    /// that every authentication is counted once, as the ones the handler ends are.
    /// </summary>
    private AuthenticateResult Counted(AuthenticateResult result)
    {
        Options.Telemetry!.RecordAuthentication(Scheme.Name, result switch
        {
            { Succeeded: true } => TokenFailureReason.None,
            { Failure: BearerJwtException { Reason: not TokenFailureReason.None } bearer } => bearer.Reason,
            { Failure: not null } => TokenFailureReason.TokenRejected,
            _ => TokenFailureReason.TokenMissing,
        });
        return result;
    }

    private async Task<AuthenticateResult> FailAsync(TokenFailureReason reason)
    {
        Log.Rejected(Logger, reason);
        Options.Telemetry!.RecordAuthentication(Scheme.Name, reason);

        var exception = new BearerJwtException(reason);
        var failed = new AuthenticationFailedContext(Context, Scheme, Options, exception);
        await Events.AuthenticationFailed(failed);
        return failed.Result ?? AuthenticateResult.Fail(exception);
    }

    /// <summary>
    /// A scheme challenged after another wrote its response (a policy naming several schemes) leaves it alone: setting
    /// a status then would throw, and the client already has an answer.
    /// </summary>
    private bool ResponseHasStarted()
    {
        if (!Response.HasStarted)
        {
            return false;
        }

        Log.ResponseAlreadyStarted(Logger);
        return true;
    }

    /// <summary>Whether this response gets a problem body: wanted, not a HEAD (no body, RFC 9110 §9.3.2), and this scheme answers last.</summary>
    private async ValueTask<bool> WritesBodyAsync() =>
        Options.WriteProblemDetails && !HttpMethods.IsHead(Request.Method) && !await PolicySchemes.AnotherFollowsAsync(Context, Scheme.Name);
}
