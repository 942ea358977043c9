using System.Buffers;
using System.Text;

namespace Bearer.Auth;

/// <summary>
/// From token text to a verified signature: the header (<see cref="JwsParser.ParseHeader"/>), the <c>alg</c>
/// allow-list and the <c>typ</c> rule (<see cref="ClaimsValidator.ValidateType"/>), the payload
/// (<see cref="JwsParser.ParseClaims"/>) and an issuer to look keys up by, so a token refused by any of these costs no
/// key lookup; then the candidate keys for (<c>kid</c>, <c>alg</c>, unverified <c>iss</c>) from the key resolver, and
/// the signature over the received <c>header.payload</c> bytes (RFC 7515 §5.2) with each candidate that the issuer
/// binding lets serve the token's issuer.
/// </summary>
internal sealed class JwsVerifier : IJwsVerifier
{
    private const int StackLimit = 1024;
    private const int MaxSignatureSize = 1024;

    /// <summary>
    /// The most keys a token without <c>kid</c> is tried against. Each is a signature check, so without a bound a forged
    /// kid-less token costs time linear in the key set (about 400 ms against 6,000 keys); a provider that publishes more
    /// keys of one algorithm than this must give its tokens a <c>kid</c>. Beyond it the token fails with
    /// <see cref="TokenFailureReason.KeyNotFound"/> without a signature check (nor a refresh: more keys cannot help).
    /// </summary>
    internal const int MaxCandidatesWithoutKeyId = 8;

    private readonly JwsParser _parser;
    private readonly bool[] _allowedAlgorithms;
    private readonly ClaimsValidator _claims;
    private readonly IKeyResolver _keys;
    private readonly JwsHeaderMemo? _headers;

    internal JwsVerifier(TokenValidationSettings settings, ClaimsValidator claims, JwsHeaderMemo? headers)
    {
        _parser = new JwsParser(settings.MaxTokenSize, new KnownClaimValues(settings.ValidIssuers, settings.ValidAudiences), headers);
        _allowedAlgorithms = new bool[JwsAlgorithms.All.Count];
        foreach (var algorithm in settings.ValidAlgorithms)
        {
            if (JwsAlgorithms.IndexOf(algorithm) is var index and >= 0)
            {
                _allowedAlgorithms[index] = true;
            }
        }

        _claims = claims;
        _keys = settings.KeyResolver;
        _headers = headers;
    }

    public async ValueTask<VerifiedJws> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        // Header first, then its rules, then the payload: a token refused for its header costs no payload decode.
        var failure = _parser.ParseHeader(token, out var parsed);
        if (failure == TokenFailureReason.None)
        {
            failure = CheckAlgorithm(parsed.Header);
        }

        if (failure == TokenFailureReason.None)
        {
            failure = _claims.ValidateType(parsed.Header);
        }

        if (failure == TokenFailureReason.None)
        {
            failure = _parser.ParseClaims(token, ref parsed);
        }

        if (failure == TokenFailureReason.None)
        {
            failure = _claims.Binding.RequireIssuer(parsed.Claims);
        }

        if (failure != TokenFailureReason.None)
        {
            return VerifiedJws.Failed(failure);
        }

        var header = parsed.Header.ToJwsHeader();
        var resolution = Bounded(await _keys.ResolveAsync(header, parsed.Claims.Issuer, cancellationToken).ConfigureAwait(false), header);
        var key = resolution.Failure == TokenFailureReason.None ? FindVerifyingKey(token, parsed, resolution.Keys, checkBinding: true) : null;

        // Kid-less keys never make a rotated key "unknown": a kid-less token that no candidate verifies may refresh the
        // remote sets, under the unknown-kid cooldown (a forged one costs the provider one fetch per cooldown at most).
        if (key is null && resolution.Failure == TokenFailureReason.None && header.KeyId is null && _keys is IKeylessRefresh refreshable
            && await refreshable.RefreshForKeylessTokenAsync(header, parsed.Claims.Issuer, cancellationToken).ConfigureAwait(false))
        {
            resolution = Bounded(await _keys.ResolveAsync(header, parsed.Claims.Issuer, cancellationToken).ConfigureAwait(false), header);
            key = resolution.Failure == TokenFailureReason.None ? FindVerifyingKey(token, parsed, resolution.Keys, checkBinding: true) : null;
        }

        if (key is null)
        {
            return VerifiedJws.Failed(resolution.Failure switch
            {
                TokenFailureReason.None => TokenFailureReason.SignatureInvalid,
                TokenFailureReason.KeyNotFound or TokenFailureReason.KeyIssuerMismatch =>
                    _claims.Binding.NoKeyReason(parsed.Claims, IssuerHasBoundKeys(parsed.Claims.Issuer), resolution.Failure),
                var other => other,
            });
        }

        var payloadStart = parsed.FirstDot + 1;
        var validated = new ValidatedToken(token, payloadStart, parsed.SecondDot - payloadStart, parsed.Header, key, parsed.Claims);
        return new VerifiedJws(validated, parsed.HeaderFromMemo);
    }

    public ValidatedToken Accept(string token, in VerifiedJws verified, double now)
    {
        if (!verified.HeaderFromMemo)
        {
            var validated = verified.Token!;
            _headers?.Remember(token.AsSpan(0, validated.HeaderSegmentLength), validated.ParsedHeader);
        }

        return verified.Token!;
    }

    /// <summary>
    /// Whether the key that verified <paramref name="token"/> earlier still may: the resolver still returns it (the
    /// same instance, or an equal key from a resolver that builds new instances) and it still serves the token's
    /// issuer. Otherwise the resolver's failure, or <see cref="TokenFailureReason.KeyNotFound"/>.
    /// </summary>
    internal ValueTask<TokenFailureReason> ConfirmKeyAsync(ValidatedToken token, CancellationToken cancellationToken)
    {
        var resolving = _keys.ResolveAsync(token.Header, token.Issuer, cancellationToken);
        return resolving.IsCompletedSuccessfully
            ? ValueTask.FromResult(ConfirmKey(token, resolving.Result))
            : ConfirmKeyAfterResolutionAsync(token, resolving);
    }

    /// <summary>
    /// The JWS layer alone, for test vectors whose payload is not a claims set (RFC 7515 A.4, RFC 7520 §4, Wycheproof):
    /// the same parse (without claims), allow-list, key resolution and signature check; no claim rule or issuer binding.
    /// </summary>
    internal async ValueTask<TokenFailureReason> VerifySignatureOnlyAsync(string token, CancellationToken cancellationToken)
    {
        var failure = _parser.ParseHeader(token, out var parsed);
        if (failure == TokenFailureReason.None)
        {
            failure = CheckAlgorithm(parsed.Header);
        }

        if (failure == TokenFailureReason.None)
        {
            failure = JwsParser.CheckPayloadIsBase64Url(token, parsed);
        }

        if (failure != TokenFailureReason.None)
        {
            return failure;
        }

        var header = parsed.Header.ToJwsHeader();
        var resolution = Bounded(await _keys.ResolveAsync(header, issuer: null, cancellationToken).ConfigureAwait(false), header);
        if (resolution.Failure != TokenFailureReason.None)
        {
            return resolution.Failure;
        }

        return FindVerifyingKey(token, parsed, resolution.Keys, checkBinding: false) is null ? TokenFailureReason.SignatureInvalid : TokenFailureReason.None;
    }

    private async ValueTask<TokenFailureReason> ConfirmKeyAfterResolutionAsync(ValidatedToken token, ValueTask<KeyResolution> resolving) =>
        ConfirmKey(token, await resolving.ConfigureAwait(false));

    private TokenFailureReason ConfirmKey(ValidatedToken token, KeyResolution resolution)
    {
        if (resolution.Failure != TokenFailureReason.None)
        {
            return resolution.Failure;
        }

        var candidates = resolution.Keys;
        var key = token.Key;
        for (var i = 0; i < candidates.Count; i++)
        {
            // IsSameKeyAs tests the instance first; the resolver usually returns the one key the kid names.
            if (candidates[i].IsSameKeyAs(key))
            {
                return IssuerBinding.Serves(key.Issuer, token.Issuer, key.Issuer is null && IssuerHasBoundKeys(token.Issuer))
                    ? TokenFailureReason.None
                    : TokenFailureReason.KeyNotFound;
            }
        }

        return TokenFailureReason.KeyNotFound;
    }

    /// <summary>The resolution, or <see cref="KeyResolution.NotFound"/> for a token without <c>kid</c> with too many candidates.</summary>
    private static KeyResolution Bounded(KeyResolution resolution, JwsHeader header) =>
        header.KeyId is null && resolution.Keys.Count > MaxCandidatesWithoutKeyId ? KeyResolution.NotFound : resolution;

    private TokenFailureReason CheckAlgorithm(in ParsedHeader header) =>
        header.AlgorithmIndex >= 0 && _allowedAlgorithms[header.AlgorithmIndex] ? TokenFailureReason.None : TokenFailureReason.AlgorithmNotAllowed;

    private bool IssuerHasBoundKeys(string? issuer) => issuer is not null && _keys.HasKeysBoundTo(issuer);

    /// <summary>
    /// The first candidate that verifies the signature. The resolver's answer is checked rather than trusted: a key of
    /// another algorithm, or (with <paramref name="checkBinding"/>) one that does not serve the token's issuer, is
    /// never tried, as if its signature had failed.
    /// </summary>
    private VerificationKey? FindVerifyingKey(string token, in ParsedToken parsed, IReadOnlyList<VerificationKey> candidates, bool checkBinding)
    {
        var signatureSegment = token.AsSpan(parsed.SecondDot + 1);
        var signatureLength = StrictBase64Url.DecodedLength(signatureSegment.Length);
        if (signatureLength <= 0 || signatureLength > MaxSignatureSize)
        {
            return null;
        }

        Span<byte> signature = stackalloc byte[signatureLength];

        // The parser has scanned the token's characters.
        if (!StrictBase64Url.TryDecodeScanned(signatureSegment, signature, out var written))
        {
            return null;
        }

        signature = signature[..written];

        // The signing input is the received "header.payload" text, never a re-serialization (RFC 7515 §5.2).
        var signingInputChars = token.AsSpan(0, parsed.SecondDot);
        byte[]? rented = null;
        var signingInput = signingInputChars.Length <= StackLimit * 4
            ? stackalloc byte[signingInputChars.Length]
            : (rented = ArrayPool<byte>.Shared.Rent(signingInputChars.Length));
        try
        {
            signingInput = signingInput[..Encoding.ASCII.GetBytes(signingInputChars, signingInput)];
            var algorithm = JwsAlgorithms.All[parsed.Header.AlgorithmIndex];
            var issuer = parsed.Claims.Issuer;
            bool? issuerHasBoundKeys = null; // asked only if an unbound key comes up
            for (var i = 0; i < candidates.Count; i++)
            {
                var key = candidates[i];
                if ((!ReferenceEquals(key.Algorithm, algorithm) && !string.Equals(key.Algorithm, algorithm, StringComparison.Ordinal))
                    || (checkBinding && !IssuerBinding.Serves(key.Issuer, issuer, key.Issuer is null && (issuerHasBoundKeys ??= IssuerHasBoundKeys(issuer)))))
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
}
