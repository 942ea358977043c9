namespace Bearer.Auth;

/// <summary>
/// Validates a JWS compact token with no dependency on HTTP: parse (size, characters, segments, base64url, header,
/// claims) → verify (<c>alg</c> allow-list; <c>typ</c> and an <c>iss</c> before any key lookup; keys per issuer;
/// signature over the received bytes) → validate the claims (the issuer the key vouches for, <c>exp</c>, <c>nbf</c>,
/// <c>iat</c>, <c>aud</c>) → the revocation check. Thread-safe; create one per configuration and reuse it (its caches
/// live with it).
/// </summary>
public sealed class BearerJwtValidator
{
    private readonly JwsVerifier _verifier;
    private readonly IJwsVerifier _jws;
    private readonly ClaimsValidator _claims;
    private readonly ITokenRevocationCheck? _revocation;
    private readonly TimeProvider _time;

    /// <summary>Creates a validator.</summary>
    /// <param name="settings">What to validate against.</param>
    /// <exception cref="ArgumentException">
    /// The settings would refuse every token or weaken validation (e.g. no audience while audiences are validated, a
    /// clock skew over 5 minutes, an empty key set); the message names each setting.
    /// </exception>
    public BearerJwtValidator(TokenValidationSettings settings)
        : this(settings, checkSettings: true)
    {
    }

    private BearerJwtValidator(TokenValidationSettings settings, bool checkSettings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (checkSettings && settings.FindProblems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(
                string.Join(" ", problems.Select(p => $"TokenValidationSettings.{p.Setting} {p.Message}")), nameof(settings));
        }

        Settings = settings;
        Headers = new JwsHeaderMemo();
        _claims = new ClaimsValidator(settings);
        _verifier = new JwsVerifier(settings, _claims, Headers);
        RepeatTokens = settings.RepeatTokenCacheSize is > 0 and <= RepeatTokenCache.MaxCapacity
            ? new RepeatTokenCache(_verifier, settings.RepeatTokenCacheSize, settings.TimeProvider)
            : null;
        _jws = RepeatTokens ?? (IJwsVerifier)_verifier;
        _revocation = settings.RevocationCheck is NoTokenRevocationCheck ? null : settings.RevocationCheck;
        _time = settings.TimeProvider;
        Telemetry = BearerJwtTelemetry.Create(settings.MeterFactory);
    }

    /// <summary>Gets the settings this validator validates against.</summary>
    public TokenValidationSettings Settings { get; }

    /// <summary>The instruments this validator records to; the handler counts authentications on the same ones.</summary>
    internal BearerJwtTelemetry Telemetry { get; }

    /// <summary>The repeat-token cache, when the settings turn it on (tests read its size).</summary>
    internal RepeatTokenCache? RepeatTokens { get; }

    /// <summary>The headers of verified tokens this validator reuses (tests look into it).</summary>
    internal JwsHeaderMemo Headers { get; }

    /// <summary>
    /// Creates the handler's validator from settings built at start-up, without checking them here: options validation
    /// (<c>ValidateOnStart</c>) checks the same settings and names each problem by its option and configuration key.
    /// </summary>
    internal static BearerJwtValidator ForValidatedSettings(TokenValidationSettings settings) => new(settings, checkSettings: false);

    /// <summary>Validates <paramref name="token"/> outside a request.</summary>
    /// <param name="token">The compact token, without any <c>Bearer</c> prefix.</param>
    /// <returns>The validated token, or why it was refused.</returns>
    public ValueTask<TokenValidationResult> ValidateAsync(string token) => ValidateAsync(token, default, CancellationToken.None);

    /// <summary>Validates <paramref name="token"/> outside a request.</summary>
    /// <param name="token">The compact token, without any <c>Bearer</c> prefix.</param>
    /// <param name="cancellationToken">Cancels key resolution and the revocation check.</param>
    /// <returns>The validated token, or why it was refused.</returns>
    public ValueTask<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken) =>
        ValidateAsync(token, default, cancellationToken);

    /// <summary>Validates <paramref name="token"/>, which arrived with the request facts in <paramref name="context"/>.</summary>
    /// <param name="token">The compact token, without any <c>Bearer</c> prefix.</param>
    /// <param name="context">Where the token came from, the request's method and URL, its DPoP proof.</param>
    /// <param name="cancellationToken">Cancels key resolution and the revocation check.</param>
    /// <returns>The validated token, or why it was refused.</returns>
    public async ValueTask<TokenValidationResult> ValidateAsync(string token, TokenValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var timing = Telemetry.StartValidation(context);
        var failure = TokenFailureReason.None;
        ValidatedToken? validated = null;
        var completed = false;
        try
        {
            var verified = await _jws.VerifyAsync(token, cancellationToken).ConfigureAwait(false);
            validated = verified.Token;
            failure = verified.Failure;
            var now = 0.0;
            if (failure == TokenFailureReason.None)
            {
                // The clock is read once the signature is verified, so time spent waiting for keys counts.
                now = ClaimsValidator.NowInSeconds(_time);
                failure = _claims.Validate(validated!, now);
            }

            if (failure == TokenFailureReason.None && _revocation is not null)
            {
                failure = await _revocation.CheckAsync(validated!, cancellationToken).ConfigureAwait(false) switch
                {
                    TokenRevocationStatus.NotRevoked => TokenFailureReason.None,
                    TokenRevocationStatus.Unavailable => TokenFailureReason.RevocationUnavailable,

                    // Revoked, and any value a check invents: refuse (reject by default).
                    _ => TokenFailureReason.TokenRevoked,
                };
            }

            if (failure == TokenFailureReason.None)
            {
                // Only a token that passed everything teaches the stages anything (the header memo, the cache).
                validated = _jws.Accept(token, verified, now);
            }

            completed = true;
            return failure == TokenFailureReason.None ? TokenValidationResult.Success(validated!) : TokenValidationResult.Fail(failure);
        }
        finally
        {
            // Also when a custom key resolver or revocation check throws: the span ends, recorded as an error.
            Telemetry.StopValidation(timing, completed ? failure : null, validated);
        }
    }

    /// <summary>The JWS layer alone, for test vectors whose payload is not a claims set; see <see cref="JwsVerifier.VerifySignatureOnlyAsync"/>.</summary>
    internal ValueTask<TokenFailureReason> VerifySignatureOnlyAsync(string token, CancellationToken cancellationToken) =>
        _verifier.VerifySignatureOnlyAsync(token, cancellationToken);
}
