namespace Bearer.Auth;

/// <summary>
/// The closed set of reasons a bearer token is refused. Each value has a stable, machine-readable code
/// (see <see cref="TokenFailureReasonCodes.ToCode(TokenFailureReason)"/>) used in the authentication result,
/// events, logs and the <c>WWW-Authenticate</c> challenge. Switch on these values, never on message text.
/// </summary>
public enum TokenFailureReason
{
    /// <summary>No failure. Never reported for a refused token.</summary>
    None = 0,

    /// <summary><c>token_missing</c>: the request carried no bearer token.</summary>
    TokenMissing,

    /// <summary><c>header_duplicate</c>: the request carried more than one <c>Authorization</c> header.</summary>
    HeaderDuplicate,

    /// <summary><c>token_empty</c>: the <c>Bearer</c> scheme was given with no token.</summary>
    TokenEmpty,

    /// <summary><c>token_multiple</c>: more than one credential, or a token in more than one place (header, cookie, query).</summary>
    TokenMultiple,

    /// <summary><c>token_too_large</c>: the token is longer than <c>MaxTokenSize</c>.</summary>
    TokenTooLarge,

    /// <summary><c>token_malformed</c>: not a well-formed JWS compact token (characters, segments, base64url, UTF-8 or JSON).</summary>
    TokenMalformed,

    /// <summary><c>token_encrypted</c>: a JWE (five segments or an <c>enc</c> header); only signed tokens are accepted.</summary>
    TokenEncrypted,

    /// <summary><c>token_json_serialization</c>: a JWS JSON serialization; only the compact serialization is accepted.</summary>
    TokenJsonSerialization,

    /// <summary><c>token_nested</c>: a nested JWT (<c>cty: JWT</c>).</summary>
    TokenNested,

    /// <summary><c>member_duplicate</c>: the header or payload repeats a member name.</summary>
    MemberDuplicate,

    /// <summary><c>header_unsupported</c>: the header uses a parameter that changes how the token is processed (<c>zip</c>, <c>b64</c>).</summary>
    HeaderUnsupported,

    /// <summary><c>crit_unsupported</c>: the header's <c>crit</c> is invalid or names an extension this library does not implement.</summary>
    CritUnsupported,

    /// <summary><c>alg_not_allowed</c>: the header's <c>alg</c> is missing, unknown, <c>none</c>, or not in <c>ValidAlgorithms</c>.</summary>
    AlgorithmNotAllowed,

    /// <summary><c>type_invalid</c>: the header's <c>typ</c> is not one of <c>ValidTypes</c>.</summary>
    TypeInvalid,

    /// <summary><c>claim_invalid</c>: a registered claim (<c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>iss</c>, <c>aud</c>, <c>sub</c>, <c>jti</c>) has the wrong JSON type or is out of range, or <c>nbf</c> is after <c>exp</c>.</summary>
    ClaimInvalid,

    /// <summary><c>issuer_invalid</c>: <c>iss</c> is missing or not exactly one of the valid issuers.</summary>
    IssuerInvalid,

    /// <summary>
    /// <c>key_not_found</c>: no key of this issuer matches the token's <c>kid</c> and <c>alg</c>, or the token has no
    /// <c>kid</c> and more keys could have signed it than a token without <c>kid</c> is tried against (8).
    /// </summary>
    KeyNotFound,

    /// <summary>
    /// <c>key_source_unavailable</c>: the keys could not be obtained (remote key set unreachable and nothing cached, or
    /// what is cached too stale). The token is not known to be bad: the scheme answers 503 with <c>Retry-After</c>.
    /// </summary>
    KeySourceUnavailable,

    /// <summary><c>signature_invalid</c>: the signature does not verify with any candidate key.</summary>
    SignatureInvalid,

    /// <summary><c>expiration_missing</c>: the token has no <c>exp</c> and <c>RequireExpirationTime</c> is on.</summary>
    ExpirationMissing,

    /// <summary><c>token_expired</c>: <c>exp</c> is in the past (beyond the clock skew).</summary>
    TokenExpired,

    /// <summary><c>token_not_yet_valid</c>: <c>nbf</c> is in the future (beyond the clock skew).</summary>
    TokenNotYetValid,

    /// <summary><c>token_issued_in_future</c>: <c>iat</c> is in the future (beyond the clock skew).</summary>
    TokenIssuedInFuture,

    /// <summary><c>audience_invalid</c>: <c>aud</c> is missing or contains none of the valid audiences.</summary>
    AudienceInvalid,

    /// <summary><c>token_revoked</c>: the revocation check reported the token revoked.</summary>
    TokenRevoked,

    /// <summary><c>token_rejected</c>: the application refused the token (an event handler failed it).</summary>
    TokenRejected,

    /// <summary>
    /// <c>key_issuer_mismatch</c>: the issuer is valid and a key matches the token's <c>kid</c> and <c>alg</c>, but that
    /// key may not sign for this issuer (it is bound to another one, or it is unbound and the issuer has keys of its
    /// own). For a provider that signs several issuers' tokens with one key set, list the others in the source's
    /// <c>AdditionalIssuers</c>.
    /// </summary>
    KeyIssuerMismatch,

    /// <summary>
    /// <c>revocation_unavailable</c>: the token is otherwise valid, but the revocation check cannot tell whether it is
    /// revoked (a shared store unreachable for longer than it tolerates, so its local view may be out of date). The
    /// token is not known to be bad: the scheme answers 503 with <c>Retry-After</c>.
    /// </summary>
    RevocationUnavailable,
}
