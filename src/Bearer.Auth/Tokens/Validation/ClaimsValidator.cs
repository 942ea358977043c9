namespace Bearer.Auth;

/// <summary>
/// Claim validation. Its cheap rules run before any key lookup, called by <see cref="JwsVerifier"/>: <c>typ</c> on
/// the header, and (through <see cref="Binding"/>) an <c>iss</c> to look keys up by. The rest runs on a token whose
/// signature verified: the issuer the key vouches for, <c>exp</c>, <c>nbf</c> and <c>iat</c> against one clock reading
/// with the skew, then <c>aud</c>.
/// </summary>
internal sealed class ClaimsValidator
{
    private const string ApplicationPrefix = "application/";

    private readonly double _clockSkewSeconds;
    private readonly bool _requireExpirationTime;
    private readonly bool _validateAudience;
    private readonly bool _allowMissingType;

    /// <summary>The valid types without an <c>application/</c> prefix (RFC 7515 §4.1.9 lets senders omit it).</summary>
    private readonly string[] _types;

    /// <summary>The valid types as configured.</summary>
    private readonly string[] _configuredTypes;

    internal ClaimsValidator(TokenValidationSettings settings)
    {
        Binding = new IssuerBinding(settings.ValidateIssuer);
        _clockSkewSeconds = settings.ClockSkew.TotalSeconds;
        _requireExpirationTime = settings.RequireExpirationTime;
        _validateAudience = settings.ValidateAudience;
        _allowMissingType = settings.AllowMissingType;
        _configuredTypes = [.. settings.ValidTypes];
        _types = new string[settings.ValidTypes.Count];
        for (var i = 0; i < _types.Length; i++)
        {
            _types[i] = StripApplicationPrefix(settings.ValidTypes[i]).ToString();
        }
    }

    /// <summary>The issuer rule, which verification also asks while it picks keys.</summary>
    internal IssuerBinding Binding { get; }

    /// <summary>The clock the time rules compare against: Unix seconds, to the millisecond, as <c>exp</c> is read.</summary>
    internal static double NowInSeconds(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Validates the claims of <paramref name="token"/>, whose signature verified, at <paramref name="now"/> (Unix seconds).</summary>
    internal TokenFailureReason Validate(ValidatedToken token, double now)
    {
        ref readonly var claims = ref token.Claims;
        var failure = Binding.CheckVouched(token.Key, claims);
        if (failure == TokenFailureReason.None)
        {
            failure = ValidateLifetime(claims, now);
        }

        if (failure == TokenFailureReason.None && _validateAudience && !claims.AudienceMatched)
        {
            failure = TokenFailureReason.AudienceInvalid;
        }

        return failure;
    }

    /// <summary>
    /// RFC 8725 §3.11: the <c>typ</c> keeps other kinds of JWT (ID tokens, logout or DPoP proofs) out. Checked on the
    /// header alone, before the payload is read.
    /// </summary>
    internal TokenFailureReason ValidateType(in ParsedHeader header)
    {
        if (!header.TypePresent)
        {
            return _allowMissingType ? TokenFailureReason.None : TokenFailureReason.TypeInvalid;
        }

        if (header.Type is { } type)
        {
            // The usual spellings are shared strings on both sides: found by reference, no comparison.
            foreach (var valid in _configuredTypes)
            {
                if (ReferenceEquals(type, valid))
                {
                    return TokenFailureReason.None;
                }
            }

            var value = StripApplicationPrefix(type);
            foreach (var valid in _types)
            {
                // Media types compare case-insensitively (RFC 2045 §5.1).
                if (value.Equals(valid, StringComparison.OrdinalIgnoreCase))
                {
                    return TokenFailureReason.None;
                }
            }
        }

        return TokenFailureReason.TypeInvalid;
    }

    private TokenFailureReason ValidateLifetime(in RegisteredClaims claims, double now)
    {
        var skew = _clockSkewSeconds;

        // A token valid only after it expires was never valid, though the skew would open a window on both ends for it;
        // judged first, so the reason does not depend on when it is presented.
        if (claims.NotBefore > claims.ExpiresAt)
        {
            return TokenFailureReason.ClaimInvalid;
        }

        if (claims.ExpiresAt is not { } expiresAt)
        {
            if (_requireExpirationTime)
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

    private static ReadOnlySpan<char> StripApplicationPrefix(string type) =>
        type.Length > ApplicationPrefix.Length && type.StartsWith(ApplicationPrefix, StringComparison.OrdinalIgnoreCase)
            ? type.AsSpan(ApplicationPrefix.Length)
            : type;
}
