using System.Buffers;
using System.Text;
using Bearer.Auth.Keys;
using Bearer.Auth.Revocation;

namespace Bearer.Auth.Tokens;

/// <summary>
/// Validates a JWS compact token with no dependency on HTTP: parse (size, characters, segments, base64url, header,
/// claims) → algorithm allow-list → key resolution per issuer → signature over the received bytes → issuer, time and
/// audience → revocation. Thread-safe; create one per configuration and reuse it.
/// </summary>
public sealed class BearerTokenValidator
{
    private const int StackLimit = 1024;
    private const int MaxSignatureSize = 1024;

    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly TokenValidationPolicy _policy;
    private readonly ISigningKeyResolver _keyResolver;
    private readonly ITokenRevocationCheck _revocationCheck;
    private readonly TimeProvider _timeProvider;
    private readonly RepeatTokenCache? _repeatTokens;
    private readonly JwsHeaderMemo _headers = new();

    /// <summary>
    /// Creates a validator from <paramref name="options"/>: its validation settings, its
    /// <see cref="BearerJwtOptions.KeyResolver"/> (or a static resolver over <see cref="BearerJwtOptions.SigningKeys"/>)
    /// and its <see cref="BearerJwtOptions.RevocationCheck"/> (or none).
    /// </summary>
    /// <param name="options">The options; later changes to them are not seen.</param>
    /// <param name="timeProvider">The clock; defaults to <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">
    /// The options fail the same checks as at application start-up (e.g. a clock skew over 5 minutes, no keys, no
    /// issuer), or name key sources only the ASP.NET Core registration reads (<c>Jwks</c>, <c>JwksPath</c>,
    /// <c>Authority</c>, <c>MetadataAddress</c>, <c>JwksUri</c>, <c>Authorities</c>).
    /// </exception>
    public BearerTokenValidator(BearerJwtOptions options, TimeProvider? timeProvider = null)
        : this(options, timeProvider, checkOptions: true)
    {
    }

    private BearerTokenValidator(BearerJwtOptions options, TimeProvider? timeProvider, bool checkOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (checkOptions)
        {
            CheckStandAloneOptions(options);
        }

        _policy = new TokenValidationPolicy(options);
        _keyResolver = options.KeyResolver ?? new StaticSigningKeyResolver(options.SigningKeys);
        _revocationCheck = options.RevocationCheck ?? NoTokenRevocationCheck.Instance;
        _timeProvider = timeProvider ?? options.TimeProvider ?? TimeProvider.System;
        _repeatTokens = options.RepeatTokenCacheSize > 0 ? new RepeatTokenCache(options.RepeatTokenCacheSize) : null;
    }

    /// <summary>
    /// Creates the handler's validator from post-configured options without checking them here: <c>ValidateOnStart</c>
    /// checks the same options and reports every problem with its setting name.
    /// </summary>
    internal static BearerTokenValidator ForConfiguredOptions(BearerJwtOptions options, TimeProvider? timeProvider) =>
        new(options, timeProvider, checkOptions: false);

    /// <summary>Refuses options a stand-alone validator would silently weaken or ignore.</summary>
    private static void CheckStandAloneOptions(BearerJwtOptions options)
    {
        if (options.KeyResolver is null
            && (options.Jwks is not null || options.JwksPath is not null || options.Authority is not null
                || options.MetadataAddress is not null || options.JwksUri is not null || options.Authorities.Count > 0))
        {
            throw new ArgumentException(
                "Jwks, JwksPath, Authority, MetadataAddress, JwksUri and Authorities are read by services.AddBearerJwt(); a stand-alone validator needs SigningKeys or a KeyResolver.",
                nameof(options));
        }

        var result = BearerJwtOptionsValidator.Validate(null, options, options.KeyResolver ?? new StaticSigningKeyResolver(options.SigningKeys));
        if (result.Failed)
        {
            throw new ArgumentException(result.FailureMessage, nameof(options));
        }
    }

    /// <summary>The repeat-token cache, when <see cref="BearerJwtOptions.RepeatTokenCacheSize"/> enables it (tests read its size).</summary>
    internal RepeatTokenCache? RepeatTokens => _repeatTokens;

    /// <summary>The headers of validated tokens this validator reuses (tests look into it).</summary>
    internal JwsHeaderMemo Headers => _headers;

    /// <summary>Validates <paramref name="token"/>.</summary>
    /// <param name="token">The compact token, without any <c>Bearer</c> prefix.</param>
    /// <param name="cancellationToken">Cancels key resolution and the revocation check.</param>
    /// <returns>The validated token, or why it was refused.</returns>
    public ValueTask<TokenValidationResult> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);

        // One clock reading for the whole validation, taken again only after waiting for a key source.
        var now = NowInSeconds();
        if (_repeatTokens is not null && token.Length <= _policy.MaxTokenSize
            && _repeatTokens.TryGet(token, now, out var cached))
        {
            return ValidateRepeated(token, cached, now, cancellationToken);
        }

        return ValidateFully(token, now, cancellationToken);
    }

    private ValueTask<TokenValidationResult> ValidateFully(string token, double now, CancellationToken cancellationToken)
    {
        var failure = Parse(token, readClaims: true, out var parsed);
        if (failure != TokenFailureReason.None)
        {
            return ValueTask.FromResult(TokenValidationResult.Fail(failure));
        }

        var resolving = _keyResolver.ResolveAsync(parsed.Header, parsed.Claims.Issuer, cancellationToken);
        return resolving.IsCompletedSuccessfully
            ? Complete(token, parsed, resolving.Result, now, cancellationToken)
            : CompleteAfterResolutionAsync(token, parsed, resolving, cancellationToken);
    }

    private async ValueTask<TokenValidationResult> CompleteAfterResolutionAsync(
        string token, ParsedToken parsed, ValueTask<SigningKeyResolution> resolving, CancellationToken cancellationToken)
    {
        var resolution = await resolving.ConfigureAwait(false);
        return await Complete(token, parsed, resolution, NowInSeconds(), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<TokenValidationResult> Complete(
        string token, in ParsedToken parsed, SigningKeyResolution resolution, double now, CancellationToken cancellationToken)
    {
        var failure = VerifyAndValidateClaims(token, parsed, resolution, now, out var validated);
        if (failure != TokenFailureReason.None)
        {
            return ValueTask.FromResult(TokenValidationResult.Fail(failure));
        }

        if (!parsed.HeaderRemembered)
        {
            _headers.Remember(token.AsSpan(0, parsed.FirstDot), parsed.Header);
        }

        _repeatTokens?.Offer(token, parsed.Claims, validated!, now);
        return CheckRevocation(validated!, cancellationToken);
    }

    /// <summary>
    /// A token whose exact text was fully validated before and is still before its <c>exp</c>: parsing and the
    /// signature are skipped (both depend only on the token bytes, this validator's policy and the key), everything
    /// else runs as for a new token, in the same order.
    /// </summary>
    private ValueTask<TokenValidationResult> ValidateRepeated(string token, RepeatTokenCache.Entry cached, double now, CancellationToken cancellationToken)
    {
        var resolving = _keyResolver.ResolveAsync(cached.Validated.Header, cached.Claims.Issuer, cancellationToken);
        return resolving.IsCompletedSuccessfully
            ? CompleteRepeated(token, cached, resolving.Result, now, cancellationToken)
            : CompleteRepeatedAfterResolutionAsync(token, cached, resolving, cancellationToken);
    }

    private async ValueTask<TokenValidationResult> CompleteRepeatedAfterResolutionAsync(
        string token, RepeatTokenCache.Entry cached, ValueTask<SigningKeyResolution> resolving, CancellationToken cancellationToken)
    {
        var resolution = await resolving.ConfigureAwait(false);
        return await CompleteRepeated(token, cached, resolution, NowInSeconds(), cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<TokenValidationResult> CompleteRepeated(
        string token, RepeatTokenCache.Entry cached, SigningKeyResolution resolution, double now, CancellationToken cancellationToken)
    {
        var validated = cached.Validated;
        if (resolution.Failure != TokenFailureReason.None || !ContainsKey(resolution.Keys, validated.SigningKey))
        {
            // The key that verified it has left the key set (rotation, removal) or the source is failing: forget the
            // entry and validate from scratch, which reports exactly what a new token would get.
            _repeatTokens!.Remove(cached);
            return ValidateFully(token, now, cancellationToken);
        }

        var failure = ValidateClaims(cached.Claims, validated.SigningKey, now);
        return failure != TokenFailureReason.None
            ? ValueTask.FromResult(TokenValidationResult.Fail(failure))
            : CheckRevocation(validated, cancellationToken);
    }

    /// <summary>
    /// Whether the key that verified a cached token is still among <paramref name="keys"/>: the same instance, or
    /// (for resolvers that build new instances on every call) a key with the same algorithm, <c>kid</c>, issuer binding
    /// and material, which would verify the same signature.
    /// </summary>
    private static bool ContainsKey(IReadOnlyList<SigningKey> keys, SigningKey key)
    {
        // IsSameKeyAs tests the instance first; the resolver usually returns the one key the kid names.
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].IsSameKeyAs(key))
            {
                return true;
            }
        }

        return false;
    }

    private ValueTask<TokenValidationResult> CheckRevocation(ValidatedToken validated, CancellationToken cancellationToken)
    {
        var checking = _revocationCheck.IsRevokedAsync(validated, cancellationToken);
        return checking.IsCompletedSuccessfully
            ? ValueTask.FromResult(ToResult(checking.Result, validated))
            : CompleteAfterRevocationAsync(checking, validated);
    }

    private static async ValueTask<TokenValidationResult> CompleteAfterRevocationAsync(ValueTask<bool> checking, ValidatedToken validated) =>
        ToResult(await checking.ConfigureAwait(false), validated);

    private static TokenValidationResult ToResult(bool revoked, ValidatedToken validated) =>
        revoked ? TokenValidationResult.Fail(TokenFailureReason.TokenRevoked) : TokenValidationResult.Success(validated);

    /// <summary>
    /// The JWS layer alone, for test vectors whose payload is not a JWT claims set (RFC 7515 A.4, RFC 7520 §4,
    /// Wycheproof): the same parse (without the claims set) and the same key resolution and signature check as
    /// <see cref="ValidateAsync"/>; no claim, lifetime, issuer, audience or revocation check. Never for tokens.
    /// </summary>
    internal async ValueTask<TokenFailureReason> VerifySignatureOnlyAsync(string token, CancellationToken cancellationToken)
    {
        var failure = Parse(token, readClaims: false, out var parsed);
        if (failure != TokenFailureReason.None)
        {
            return failure;
        }

        var resolution = await _keyResolver.ResolveAsync(parsed.Header, issuer: null, cancellationToken).ConfigureAwait(false);
        if (resolution.Failure != TokenFailureReason.None)
        {
            return resolution.Failure;
        }

        return FindVerifyingKey(token.AsSpan(), parsed, resolution.Keys) is null ? TokenFailureReason.SignatureInvalid : TokenFailureReason.None;
    }

    /// <summary>Everything that needs no key: structure, header and (when asked) claims, in the order an attacker meets them.</summary>
    private TokenFailureReason Parse(string token, bool readClaims, out ParsedToken parsed)
    {
        parsed = default;

        // The size limit comes before any scan, split or decode.
        if (token.Length > _policy.MaxTokenSize)
        {
            return TokenFailureReason.TokenTooLarge;
        }

        var span = token.AsSpan();
        if (span.IsEmpty)
        {
            return TokenFailureReason.TokenMalformed;
        }

        if (span[0] == '{')
        {
            return TokenFailureReason.TokenJsonSerialization;
        }

        // After this one scan each segment (the text between dots) holds base64url characters only.
        if (span.ContainsAnyExcept(TokenCharacters))
        {
            return TokenFailureReason.TokenMalformed;
        }

        var firstDot = span.IndexOf('.');
        var dotAfterFirst = firstDot < 0 ? -1 : span[(firstDot + 1)..].IndexOf('.');
        if (dotAfterFirst < 0)
        {
            return TokenFailureReason.TokenMalformed;
        }

        var secondDot = firstDot + 1 + dotAfterFirst;
        parsed.FirstDot = firstDot;
        parsed.SecondDot = secondDot;
        var signatureSegment = span[(secondDot + 1)..];
        if (signatureSegment.Contains('.'))
        {
            // Four dots in all is the compact JWE form, which gets its own reason.
            return signatureSegment.Count('.') == 2 ? TokenFailureReason.TokenEncrypted : TokenFailureReason.TokenMalformed;
        }

        var headerSegment = span[..firstDot];
        var payloadSegment = span[(firstDot + 1)..secondDot];
        if (headerSegment.IsEmpty || payloadSegment.IsEmpty || !StrictBase64Url.IsCanonicalScanned(signatureSegment))
        {
            return TokenFailureReason.TokenMalformed;
        }

        var headerLength = StrictBase64Url.DecodedLength(headerSegment.Length);
        if (headerLength < 0)
        {
            return TokenFailureReason.TokenMalformed;
        }

        // A header text that a validated token carried before parses to the same header: skip its decode and read.
        parsed.HeaderRemembered = _headers.TryGet(headerSegment, out parsed.Header);
        if (parsed.HeaderRemembered)
        {
            headerLength = 0;
        }

        // A payload of impossible length is reported after the header, as the header is read first.
        var payloadLength = readClaims ? Math.Max(StrictBase64Url.DecodedLength(payloadSegment.Length), 0) : 0;
        var length = headerLength + payloadLength;
        byte[]? rented = null;

        // One buffer for both, sized to the segments: a fixed 1 KB one would cost more to set up than the decode.
        var buffer = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            if (!parsed.HeaderRemembered)
            {
                var headerBytes = buffer[..headerLength];
                if (!StrictBase64Url.TryDecodeScanned(headerSegment, headerBytes, out var headerWritten))
                {
                    return TokenFailureReason.TokenMalformed;
                }

                var headerFailure = JwsHeaderReader.Read(headerBytes[..headerWritten], _policy, out parsed.Header);
                if (headerFailure != TokenFailureReason.None)
                {
                    return headerFailure;
                }
            }

            if (!readClaims)
            {
                return StrictBase64Url.IsCanonicalScanned(payloadSegment) ? TokenFailureReason.None : TokenFailureReason.TokenMalformed;
            }

            var payloadBytes = buffer.Slice(headerLength, payloadLength);
            if (!StrictBase64Url.TryDecodeScanned(payloadSegment, payloadBytes, out var written))
            {
                return TokenFailureReason.TokenMalformed;
            }

            var failure = JwtClaimsReader.Read(payloadBytes[..written], _policy, out parsed.Claims);
            if (failure != TokenFailureReason.None)
            {
                return failure;
            }

            return _policy.ValidateIssuer && parsed.Claims.Issuer is null
                ? TokenFailureReason.IssuerInvalid
                : TokenFailureReason.None;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private TokenFailureReason VerifyAndValidateClaims(
        string token, in ParsedToken parsed, SigningKeyResolution resolution, double now, out ValidatedToken? validated)
    {
        validated = null;
        ref readonly var claims = ref parsed.Claims;
        if (resolution.Failure != TokenFailureReason.None)
        {
            // No key for an issuer that nothing vouches for: say so rather than blame the kid.
            return resolution.Failure == TokenFailureReason.KeyNotFound && _policy.ValidateIssuer && !claims.IssuerIsConfigured
                && !(_keyResolver is IIssuerBoundKeyResolver bound && claims.Issuer is not null && bound.HasKeysBoundTo(claims.Issuer))
                ? TokenFailureReason.IssuerInvalid
                : resolution.Failure;
        }

        var key = FindVerifyingKey(token.AsSpan(), parsed, resolution.Keys);
        if (key is null)
        {
            return TokenFailureReason.SignatureInvalid;
        }

        var failure = ValidateClaims(claims, key, now);
        if (failure != TokenFailureReason.None)
        {
            return failure;
        }

        var payloadStart = parsed.FirstDot + 1;
        validated = new ValidatedToken(token, payloadStart, parsed.SecondDot - payloadStart, parsed.Header, key, claims);
        return TokenFailureReason.None;
    }

    /// <summary>What follows a verified signature: the issuer (configured, or the key's binding), lifetime, audience.</summary>
    private TokenFailureReason ValidateClaims(in RegisteredClaims claims, SigningKey key, double now)
    {
        // A key bound to an issuer vouches for that issuer only; otherwise the issuer must be configured.
        if (_policy.ValidateIssuer && !claims.IssuerIsConfigured
            && !(key.Issuer is not null && string.Equals(key.Issuer, claims.Issuer, StringComparison.Ordinal)))
        {
            return TokenFailureReason.IssuerInvalid;
        }

        var failure = ValidateLifetime(claims, now);
        if (failure != TokenFailureReason.None)
        {
            return failure;
        }

        return _policy.ValidateAudience && !claims.AudienceMatched
            ? TokenFailureReason.AudienceInvalid
            : TokenFailureReason.None;
    }

    private static SigningKey? FindVerifyingKey(ReadOnlySpan<char> token, in ParsedToken parsed, IReadOnlyList<SigningKey> candidates)
    {
        var signatureSegment = token[(parsed.SecondDot + 1)..];
        var signatureLength = StrictBase64Url.DecodedLength(signatureSegment.Length);
        if (signatureLength <= 0 || signatureLength > MaxSignatureSize)
        {
            return null;
        }

        Span<byte> signature = stackalloc byte[signatureLength];
        // Parse has scanned the token's characters.
        if (!StrictBase64Url.TryDecodeScanned(signatureSegment, signature, out var written))
        {
            return null;
        }

        signature = signature[..written];

        // The signing input is the received "header.payload" text, never a re-serialization (RFC 7515 §5.2).
        var signingInputChars = token[..parsed.SecondDot];
        byte[]? rented = null;
        var signingInput = signingInputChars.Length <= StackLimit * 4
            ? stackalloc byte[signingInputChars.Length]
            : (rented = ArrayPool<byte>.Shared.Rent(signingInputChars.Length));
        try
        {
            signingInput = signingInput[..Encoding.ASCII.GetBytes(signingInputChars, signingInput)];
            var algorithm = parsed.Header.Algorithm;
            var issuer = parsed.Claims.Issuer;
            for (var i = 0; i < candidates.Count; i++)
            {
                var key = candidates[i];

                // The resolver contract, enforced again: one algorithm per key, and an issuer-bound key only for its issuer.
                if (!ReferenceEquals(key.Algorithm, algorithm) && !string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal))
                {
                    continue;
                }

                if (key.Issuer is not null && !string.Equals(key.Issuer, issuer, StringComparison.Ordinal))
                {
                    continue;
                }

                if (key.Verify(signingInput, signature))
                {
                    return key;
                }
            }

            return null;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private TokenFailureReason ValidateLifetime(in RegisteredClaims claims, double now)
    {
        var skew = _policy.ClockSkewSeconds;
        if (claims.ExpiresAt is not { } expiresAt)
        {
            if (_policy.RequireExpirationTime)
            {
                return TokenFailureReason.ExpirationMissing;
            }
        }
        else if (now >= expiresAt + skew)
        {
            return TokenFailureReason.TokenExpired;
        }

        if (claims.NotBefore is { } notBefore && now + skew < notBefore)
        {
            return TokenFailureReason.TokenNotYetValid;
        }

        if (claims.IssuedAt is { } issuedAt && issuedAt > now + skew)
        {
            return TokenFailureReason.TokenIssuedInFuture;
        }

        return TokenFailureReason.None;
    }

    private double NowInSeconds() => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>What <see cref="Parse"/> read; mutable so the readers fill it in place, and passed by reference.</summary>
    private struct ParsedToken
    {
        internal JwsHeader Header;
        internal RegisteredClaims Claims;
        internal int FirstDot;
        internal int SecondDot;

        /// <summary>Whether <see cref="Header"/> came from the header memo (so it need not be remembered again).</summary>
        internal bool HeaderRemembered;
    }
}
