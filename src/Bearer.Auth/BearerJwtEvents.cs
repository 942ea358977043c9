namespace Bearer.Auth;

/// <summary>
/// The events the bearer JWT handler raises, in request order. Assign delegates, or derive and override the
/// virtual methods and register the type with <c>EventsType</c>.
/// </summary>
public class BearerJwtEvents
{
    private static readonly Func<MessageReceivedContext, Task> NoMessageReceived = _ => Task.CompletedTask;
    private static readonly Func<TokenValidatedContext, Task> NoTokenValidated = _ => Task.CompletedTask;

    /// <summary>Gets or sets the handler run first: it may supply the token or end authentication. Default: nothing.</summary>
    public Func<MessageReceivedContext, Task> OnMessageReceived { get; set; } = NoMessageReceived;

    /// <summary>Gets or sets the handler run after a token is validated and mapped: it may refuse it or change the principal. Default: nothing.</summary>
    public Func<TokenValidatedContext, Task> OnTokenValidated { get; set; } = NoTokenValidated;

    /// <summary>Gets or sets the handler run when a token or request is refused, with the reason. Default: nothing.</summary>
    public Func<AuthenticationFailedContext, Task> OnAuthenticationFailed { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Gets or sets the handler run before a refusal (401, 400 for a malformed request, 503 when no key set is usable)
    /// is written: it may change the status, the challenge, or write the response itself. Default: nothing.
    /// </summary>
    public Func<BearerJwtChallengeContext, Task> OnChallenge { get; set; } = _ => Task.CompletedTask;

    /// <summary>Gets or sets the handler run before the 403 response is written: it may change its scope, or write the response itself. Default: nothing.</summary>
    public Func<ForbiddenContext, Task> OnForbidden { get; set; } = _ => Task.CompletedTask;

    /// <summary>
    /// Whether the per-request events may do anything: false only for this exact type with the default delegates,
    /// which lets the handler skip building their contexts on every request.
    /// </summary>
    internal bool RaisesMessageReceived => GetType() != typeof(BearerJwtEvents) || !ReferenceEquals(OnMessageReceived, NoMessageReceived);

    /// <inheritdoc cref="RaisesMessageReceived"/>
    internal bool RaisesTokenValidated => GetType() != typeof(BearerJwtEvents) || !ReferenceEquals(OnTokenValidated, NoTokenValidated);

    /// <summary>Invokes <see cref="OnMessageReceived"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task MessageReceived(MessageReceivedContext context) => OnMessageReceived(context);

    /// <summary>Invokes <see cref="OnTokenValidated"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task TokenValidated(TokenValidatedContext context) => OnTokenValidated(context);

    /// <summary>Invokes <see cref="OnAuthenticationFailed"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task AuthenticationFailed(AuthenticationFailedContext context) => OnAuthenticationFailed(context);

    /// <summary>Invokes <see cref="OnChallenge"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task Challenge(BearerJwtChallengeContext context) => OnChallenge(context);

    /// <summary>Invokes <see cref="OnForbidden"/>.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task.</returns>
    public virtual Task Forbidden(ForbiddenContext context) => OnForbidden(context);
}
