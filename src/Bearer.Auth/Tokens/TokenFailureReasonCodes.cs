namespace Bearer.Auth;

/// <summary>
/// The stable codes and fixed, content-free descriptions of each <see cref="TokenFailureReason"/>.
/// </summary>
public static class TokenFailureReasonCodes
{
    /// <summary>Returns the stable snake_case code of <paramref name="reason"/>, e.g. <c>token_expired</c>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The code; <c>none</c> for <see cref="TokenFailureReason.None"/>.</returns>
    public static string ToCode(this TokenFailureReason reason) => reason switch
    {
        TokenFailureReason.TokenMissing => "token_missing",
        TokenFailureReason.HeaderDuplicate => "header_duplicate",
        TokenFailureReason.TokenEmpty => "token_empty",
        TokenFailureReason.TokenMultiple => "token_multiple",
        TokenFailureReason.TokenTooLarge => "token_too_large",
        TokenFailureReason.TokenMalformed => "token_malformed",
        TokenFailureReason.TokenEncrypted => "token_encrypted",
        TokenFailureReason.TokenJsonSerialization => "token_json_serialization",
        TokenFailureReason.TokenNested => "token_nested",
        TokenFailureReason.MemberDuplicate => "member_duplicate",
        TokenFailureReason.HeaderUnsupported => "header_unsupported",
        TokenFailureReason.CritUnsupported => "crit_unsupported",
        TokenFailureReason.AlgorithmNotAllowed => "alg_not_allowed",
        TokenFailureReason.TypeInvalid => "type_invalid",
        TokenFailureReason.ClaimInvalid => "claim_invalid",
        TokenFailureReason.IssuerInvalid => "issuer_invalid",
        TokenFailureReason.KeyNotFound => "key_not_found",
        TokenFailureReason.KeySourceUnavailable => "key_source_unavailable",
        TokenFailureReason.SignatureInvalid => "signature_invalid",
        TokenFailureReason.ExpirationMissing => "expiration_missing",
        TokenFailureReason.TokenExpired => "token_expired",
        TokenFailureReason.TokenNotYetValid => "token_not_yet_valid",
        TokenFailureReason.TokenIssuedInFuture => "token_issued_in_future",
        TokenFailureReason.AudienceInvalid => "audience_invalid",
        TokenFailureReason.TokenRevoked => "token_revoked",
        TokenFailureReason.TokenRejected => "token_rejected",
        TokenFailureReason.KeyIssuerMismatch => "key_issuer_mismatch",
        TokenFailureReason.RevocationUnavailable => "revocation_unavailable",
        _ => "none",
    };

    /// <summary>
    /// Returns the fixed, human-readable description of <paramref name="reason"/>. It never contains token content,
    /// so it is safe to send in <c>error_description</c>.
    /// </summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The description.</returns>
    public static string ToDescription(this TokenFailureReason reason) => reason switch
    {
        TokenFailureReason.TokenMissing => "No bearer token was presented.",
        TokenFailureReason.HeaderDuplicate => "The request has more than one Authorization header.",
        TokenFailureReason.TokenEmpty => "The Bearer credentials are empty.",
        TokenFailureReason.TokenMultiple => "More than one access token was presented.",
        TokenFailureReason.TokenTooLarge => "The token is too large.",
        TokenFailureReason.TokenMalformed => "The token is not a well-formed JWS compact token.",
        TokenFailureReason.TokenEncrypted => "Encrypted tokens (JWE) are not accepted.",
        TokenFailureReason.TokenJsonSerialization => "Only the JWS compact serialization is accepted.",
        TokenFailureReason.TokenNested => "Nested tokens are not accepted.",
        TokenFailureReason.MemberDuplicate => "The token repeats a member name.",
        TokenFailureReason.HeaderUnsupported => "The token header uses an unsupported parameter.",
        TokenFailureReason.CritUnsupported => "The token header lists an unsupported critical extension.",
        TokenFailureReason.AlgorithmNotAllowed => "The signing algorithm is not allowed.",
        TokenFailureReason.TypeInvalid => "The token type is not accepted.",
        TokenFailureReason.ClaimInvalid => "A registered claim has an invalid value.",
        TokenFailureReason.IssuerInvalid => "The issuer is invalid.",
        TokenFailureReason.KeyNotFound => "No signing key matches the token.",
        TokenFailureReason.KeySourceUnavailable => "The signing keys are temporarily unavailable.",
        TokenFailureReason.SignatureInvalid => "The signature is invalid.",
        TokenFailureReason.ExpirationMissing => "The token has no expiration time.",
        TokenFailureReason.TokenExpired => "The token has expired.",
        TokenFailureReason.TokenNotYetValid => "The token is not valid yet.",
        TokenFailureReason.TokenIssuedInFuture => "The token was issued in the future.",
        TokenFailureReason.AudienceInvalid => "The audience is invalid.",
        TokenFailureReason.TokenRevoked => "The token has been revoked.",
        TokenFailureReason.TokenRejected => "The token was rejected.",
        TokenFailureReason.KeyIssuerMismatch => "A key matches the token, but it may not sign for the issuer the token names.",
        TokenFailureReason.RevocationUnavailable => "Whether the token is revoked cannot be checked right now.",
        _ => "The token is valid.",
    };

    /// <summary>
    /// Whether <paramref name="reason"/> describes a malformed request (RFC 6750 <c>invalid_request</c>, which the
    /// scheme answers with 400) rather than a bad token (<c>invalid_token</c>).
    /// </summary>
    /// <param name="reason">The reason.</param>
    /// <returns><see langword="true"/> for request-level failures.</returns>
    public static bool IsRequestError(this TokenFailureReason reason) =>
        reason is TokenFailureReason.HeaderDuplicate or TokenFailureReason.TokenEmpty or TokenFailureReason.TokenMultiple;
}
